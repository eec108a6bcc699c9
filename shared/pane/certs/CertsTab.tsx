import { Body1, Button, Field, Input, Select, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { certScopeSchema, type CertScope } from "../../protocol/certs";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";
import { useInsertCert } from "../share/use-insert-cert";
import { useNavigation } from "../shell/navigation";
import { CertRows } from "./CertRow";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "flex-end" },
  search: { flexGrow: 1, minWidth: "10rem" },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  heading: { margin: 0 },
});

/** `insert`: the pane was opened to put a cert into the email (start view "insert-cert"). */
export type CertsTabMode = "browse" | "insert";

const PAGE_SIZE = 25;

/**
 * The user's certs: search, scope (owned / received / all), paged list; opens a cert's detail. In
 * insert mode each cert offers "Insert link" and "Attach documents" instead of share.
 */
export function CertsTab({ mode = "browse" }: { readonly mode?: CertsTabMode }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const navigation = useNavigation();
  const insertTarget = useInsertCert().mode;
  const [text, setText] = useState("");
  const [scope, setScope] = useState<CertScope>("all");
  const q = useDeferredValue(text.trim());
  const certs = useInfiniteQuery({
    queryKey: queryKeys.certList(q, scope),
    queryFn: ({ pageParam, signal }) => api.listCerts({ q, scope, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = certs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className={styles.root} aria-label={strings.certs.heading} data-testid="certs-tab">
      {mode === "insert" ? (
        <div data-testid="certs-insert-mode">
          <Subtitle2 as="h3" className={styles.heading}>
            {strings.insert.heading}
          </Subtitle2>
          <Body1 as="p" className={styles.heading}>
            {insertTarget === null ? strings.insert.noItem : strings.insert.hint}
          </Body1>
        </div>
      ) : null}
      <div className={styles.filters} role="search">
        <Field label={strings.certs.searchLabel} className={styles.search}>
          <Input
            type="search"
            value={text}
            placeholder={strings.certs.searchPlaceholder}
            onChange={(_, data) => {
              setText(data.value);
            }}
          />
        </Field>
        <Field label={strings.certs.scopeLabel}>
          <Select
            value={scope}
            onChange={(_, data) => {
              setScope(certScopeSchema.catch("all").parse(data.value));
            }}
          >
            {certScopeSchema.options.map((value) => (
              <option key={value} value={value}>
                {strings.certs.scopes[value]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {mode === "browse" ? (
        <div className={styles.actions}>
          <Button
            onClick={() => {
              navigation.push({ kind: "create" });
            }}
          >
            {strings.certs.create}
          </Button>
        </div>
      ) : null}
      <QueryState query={certs} loadingLabel={strings.certs.loading}>
        {() =>
          items.length === 0 ? (
            <EmptyState testId="certs-empty">{strings.certs.empty}</EmptyState>
          ) : (
            <>
              <CertRows certs={items} label={strings.certs.heading} testId="cert-list" insert={mode === "insert"} />
              {certs.hasNextPage ? (
                <Button
                  disabled={certs.isFetchingNextPage}
                  onClick={() => {
                    void certs.fetchNextPage();
                  }}
                >
                  {strings.certs.loadMore}
                </Button>
              ) : null}
            </>
          )
        }
      </QueryState>
    </section>
  );
}
