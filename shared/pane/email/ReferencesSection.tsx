import { Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { certMatchesReference, type NumberReference } from "../../mail/references";
import { CertRows } from "../certs/CertRow";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  reference: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  label: { fontWeight: tokens.fontWeightSemibold },
});

/** Every number the email names, each with the certs that carry it. */
export function ReferencesSection({ references }: { readonly references: readonly NumberReference[] }) {
  const strings = useStrings();
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby="references-heading" data-testid="references">
      <Subtitle2 as="h4" id="references-heading" className={styles.heading}>
        {strings.email.referencesHeading}
      </Subtitle2>
      {references.length === 0 ? (
        <EmptyState testId="no-references">{strings.email.noReferences}</EmptyState>
      ) : (
        <ul className={styles.list}>
          {references.map((reference) => (
            <ReferenceMatches key={`${reference.kind}:${reference.value}`} reference={reference} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReferenceMatches({ reference }: { readonly reference: NumberReference }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const matches = useQuery({
    queryKey: queryKeys.referenceMatches(reference.kind, reference.value),
    queryFn: async ({ signal }) => {
      // The search is a substring search over all fields; keep only exact numbers of this kind.
      const page = await api.listCerts({ q: reference.value, scope: "all", limit: 50 }, { signal });
      return page.items.filter((cert) => certMatchesReference(cert, reference));
    },
  });
  const label = strings.email.referenceLabel(reference.kind, reference.value);
  return (
    <li className={styles.reference} data-testid={`reference-${reference.kind}-${reference.value}`}>
      <Caption1 className={styles.label}>{label}</Caption1>
      <QueryState query={matches} loadingLabel={strings.email.searchingCerts}>
        {() =>
          matches.data?.length ? <CertRows certs={matches.data} label={label} /> : <EmptyState>{strings.email.noMatches}</EmptyState>
        }
      </QueryState>
    </li>
  );
}
