import { Button, Caption1 } from "@fluentui/react-components";
import type { Cert } from "../../protocol/certs";
import { useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { useInsertCert } from "./use-insert-cert";

/** "Insert cert" next to a cert in a list while the user writes an email; nothing otherwise. */
export function InsertCertButton({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const { mode, mutation } = useInsertCert();
  if (mode !== "compose") return null;
  const run = () => {
    mutation.mutate(cert);
  };
  return (
    <>
      <Button size="small" aria-label={strings.detail.insertNamed(cert.title)} disabled={mutation.isPending} onClick={run}>
        {strings.detail.insertCert}
      </Button>
      {mutation.isSuccess ? <Caption1 role="status">{strings.detail.inserted}</Caption1> : null}
      {mutation.isError ? <ProblemMessage error={mutation.error} onRetry={run} busy={mutation.isPending} /> : null}
    </>
  );
}
