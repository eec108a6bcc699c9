import { Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { Cert } from "../../protocol/certs";
import { useStrings } from "../contexts";

const useStyles = makeStyles({
  list: { display: "grid", gridTemplateColumns: "minmax(0, max-content) minmax(0, 1fr)", gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalM}`, margin: 0 },
  pair: { display: "contents" },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: "anywhere" },
});

/** A cert's numbers and metadata as a definition list. */
export function CertFacts({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const styles = useStyles();
  const rows: [string, string][] = [
    [strings.detail.poNumbers, cert.poNumbers.join(", ")],
    [strings.detail.heatNumbers, cert.heatNumbers.join(", ")],
    [strings.detail.certNumbers, cert.certNumbers.join(", ")],
    [strings.detail.product, cert.product ?? ""],
    [strings.detail.standard, cert.standard ?? ""],
    ...Object.entries(cert.metadata),
    [strings.detail.owner, cert.ownerOrg.name],
    [strings.detail.revision, String(cert.revision)],
    [strings.detail.updated, strings.formatDate(cert.updatedAt)],
  ];
  return (
    <dl className={styles.list} data-testid="cert-facts">
      {rows
        .filter(([, value]) => value !== "")
        .map(([term, value], index) => (
          <div key={`${index}-${term}`} className={styles.pair}>
            <dt className={styles.term}>
              <Caption1>{term}</Caption1>
            </dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
