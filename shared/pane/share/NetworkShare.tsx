import { Body1, Button, Caption1, Field, Input, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import type { Cert } from "../../protocol/certs";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { useShareCert } from "./use-share-cert";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  row: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS, minWidth: 0 },
  label: { overflowWrap: "anywhere", minWidth: 0 },
});

interface Target {
  readonly key: string;
  readonly label: string;
  readonly name: string;
  readonly body: { userId: string } | { locationId: string };
}

/** Search the network for a user or location and share the cert with one. */
export function NetworkShare({ cert, conversationId }: { readonly cert: Cert; readonly conversationId: string | null }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const [text, setText] = useState("");
  const q = useDeferredValue(text.trim());
  const search = useQuery({ queryKey: queryKeys.networkSearch(q), queryFn: ({ signal }) => api.searchNetwork(q, { signal }), enabled: q.length >= 2 });
  const share = useShareCert(cert.id, conversationId);
  const [sharedWith, setSharedWith] = useState<Target | null>(null);
  const targets: Target[] = [
    ...(search.data?.users ?? []).map((u) => ({ key: `u-${u.id}`, name: u.displayName, label: strings.share.userLine(u.displayName, u.orgName), body: { userId: u.id } })),
    ...(search.data?.locations ?? []).map((l) => ({ key: `l-${l.id}`, name: l.name, label: strings.share.locationLine(l.name, l.orgName), body: { locationId: l.id } })),
  ];
  const run = (target: Target) => {
    setSharedWith(target);
    share.mutate(target.body);
  };
  return (
    <section className={styles.root} aria-labelledby="share-search-heading" data-testid="share-search">
      <Subtitle2 as="h4" id="share-search-heading" className={styles.heading}>
        {strings.share.searchHeading}
      </Subtitle2>
      <Field label={strings.share.searchLabel} hint={q.length < 2 ? strings.share.searchHint : undefined}>
        <Input
          type="search"
          value={text}
          placeholder={strings.share.searchPlaceholder}
          onChange={(_, data) => {
            setText(data.value);
          }}
        />
      </Field>
      {share.isSuccess && sharedWith ? <Body1 role="status">{strings.share.sharedWith(sharedWith.name)}</Body1> : null}
      {share.isError && sharedWith ? <ProblemMessage error={share.error} onRetry={() => { run(sharedWith); }} busy={share.isPending} /> : null}
      {q.length >= 2 ? (
        <QueryState query={search} loadingLabel={strings.share.searching}>
          {() =>
            targets.length === 0 ? (
              <EmptyState>{strings.share.noResults}</EmptyState>
            ) : (
              <ul className={styles.list} aria-label={strings.share.searchHeading}>
                {targets.map((target) => (
                  <li key={target.key} className={styles.row}>
                    <Caption1 className={styles.label}>{target.label}</Caption1>
                    <Button size="small" disabled={share.isPending} aria-label={strings.share.shareTo(target.label)} onClick={() => { run(target); }}>
                      {strings.detail.share}
                    </Button>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      ) : null}
    </section>
  );
}
