import { Body1, Button, Divider, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Cert } from "../../protocol/certs";
import { QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { useInsertCert } from "../share/use-insert-cert";
import { useNavigation } from "../shell/navigation";
import { ViewFrame } from "../shell/ViewFrame";
import { ActivityList } from "./ActivityList";
import { CertFacts } from "./CertFacts";
import { DocumentList } from "./DocumentList";

const useStyles = makeStyles({
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

/** One cert: numbers and metadata, documents, actions (share, copy, insert), activity for owners. */
export function CertDetailView({ certId }: { readonly certId: string }) {
  const strings = useStrings();
  const api = useApi();
  const cert = useQuery({ queryKey: queryKeys.cert(certId), queryFn: ({ signal }) => api.getCert(certId, { signal }) });
  return (
    <ViewFrame title={cert.data?.title ?? strings.detail.loading} testId="cert-detail">
      <QueryState query={cert} loadingLabel={strings.detail.loading}>
        {() => (cert.data ? <CertBody cert={cert.data} /> : null)}
      </QueryState>
    </ViewFrame>
  );
}

function CertBody({ cert }: { readonly cert: Cert }) {
  return (
    <>
      <CertActions cert={cert} />
      <CertFacts cert={cert} />
      <Divider />
      <DocumentList certId={cert.id} />
      {cert.access.canViewActivity ? (
        <>
          <Divider />
          <ActivityList certId={cert.id} />
        </>
      ) : null}
    </>
  );
}

function CertActions({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigation = useNavigation();
  const insert = useInsertCert();
  const copy = useMutation({
    mutationFn: () => api.copyCert(cert.id),
    onSuccess: async (created) => {
      queryClient.setQueryData(queryKeys.cert(created.id), created);
      navigation.replace({ kind: "cert", certId: created.id });
      await queryClient.invalidateQueries({ queryKey: ["certs"] });
    },
  });
  const canCopy = cert.access.side === "receiver" && cert.access.canCopy;
  return (
    <>
      <div className={styles.actions}>
        {cert.access.canShare ? (
          <Button
            appearance="primary"
            onClick={() => {
              navigation.push({ kind: "share", certId: cert.id });
            }}
          >
            {strings.detail.share}
          </Button>
        ) : null}
        {insert.mode === "compose" ? (
          <Button
            disabled={insert.mutation.isPending}
            onClick={() => {
              insert.mutation.mutate(cert);
            }}
          >
            {strings.detail.insertCert}
          </Button>
        ) : null}
        {canCopy ? (
          <Button
            disabled={copy.isPending}
            onClick={() => {
              copy.mutate();
            }}
          >
            {strings.detail.copy}
          </Button>
        ) : null}
        {copy.isPending || insert.mutation.isPending ? <Spinner size="tiny" /> : null}
      </div>
      {canCopy ? <Body1>{strings.detail.copyHint}</Body1> : null}
      {insert.mutation.isSuccess ? <Body1 role="status">{strings.detail.inserted}</Body1> : null}
      {copy.isError ? <ProblemMessage error={copy.error} onRetry={() => { copy.mutate(); }} /> : null}
      {insert.mutation.isError ? <ProblemMessage error={insert.mutation.error} onRetry={() => { insert.mutation.mutate(cert); }} /> : null}
    </>
  );
}
