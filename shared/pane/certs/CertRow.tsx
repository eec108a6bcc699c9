import { Badge, Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { Cert } from "../../protocol/certs";
import { useCurrentItem, useStrings } from "../contexts";
import { InsertCertButton } from "../share/InsertCertButton";
import { useNavigation } from "../shell/navigation";
import { InsertCertActions } from "./InsertCertActions";

const useStyles = makeStyles({
  item: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  row: { display: "flex", alignItems: "flex-start", gap: tokens.spacingHorizontalXS, minWidth: 0, alignSelf: "stretch" },
  open: {
    flexGrow: 1,
    minWidth: 0,
    justifyContent: "flex-start",
    textAlign: "start",
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    height: "auto",
    paddingBlock: tokens.spacingVerticalXS,
  },
  title: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  numbers: { overflowWrap: "anywhere" },
  badge: { flexShrink: 0, marginBlockStart: tokens.spacingVerticalS },
});

/**
 * One cert in a list: a button that opens its detail, with its numbers and whose it is. In insert
 * mode its actions are "Insert link" and "Attach documents" (InsertCertActions).
 */
export function CertRow({ cert, insert = false }: { readonly cert: Cert; readonly insert?: boolean }) {
  const strings = useStrings();
  const styles = useStyles();
  const navigation = useNavigation();
  const item = useCurrentItem();
  const numbers = strings.certs.numbers(cert.poNumbers, cert.heatNumbers, cert.certNumbers);
  return (
    <li className={styles.item} data-testid="cert-row">
      <div className={styles.row}>
        <Button
          appearance="subtle"
          className={styles.open}
          onClick={() => {
            navigation.push({ kind: "cert", certId: cert.id });
          }}
        >
          <span className={styles.title}>{cert.title}</span>
          {numbers ? <Caption1 className={styles.numbers}>{numbers}</Caption1> : null}
          <Caption1>{cert.ownerOrg.name}</Caption1>
        </Button>
        <Badge appearance="outline" size="small" className={styles.badge}>
          {cert.access.side === "owner" ? strings.certs.owned : strings.certs.received}
        </Badge>
      </div>
      {insert ? <InsertCertActions cert={cert} /> : null}
      {/* While reading an email, sharing is one click from the list; while writing one, inserting is. */}
      {!insert && item?.kind === "read" && cert.access.canShare ? (
        <Button
          size="small"
          appearance="primary"
          aria-label={strings.detail.shareNamed(cert.title)}
          onClick={() => {
            navigation.push({ kind: "share", certId: cert.id });
          }}
        >
          {strings.detail.share}
        </Button>
      ) : null}
      {insert ? null : <InsertCertButton cert={cert} />}
    </li>
  );
}

const useListStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
});

export interface CertRowsProps {
  readonly certs: readonly Cert[];
  readonly label: string;
  readonly testId?: string;
  readonly insert?: boolean;
}

export function CertRows({ certs, label, testId, insert = false }: CertRowsProps) {
  const styles = useListStyles();
  return (
    <ul className={styles.list} aria-label={label} data-testid={testId}>
      {certs.map((cert) => (
        <CertRow key={cert.id} cert={cert} insert={insert} />
      ))}
    </ul>
  );
}
