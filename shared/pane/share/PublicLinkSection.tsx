import { Body1, Button, Field, Input, Subtitle2, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Cert } from "../../protocol/certs";
import { useApi, useHost, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { QrCode } from "./QrCode";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  heading: { margin: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "flex-end" },
  url: { flexGrow: 1, minWidth: "10rem" },
});

/** The optional public link: on/off, the URL with Copy link, and its QR code. */
export function PublicLinkSection({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api.setPublicLink(cert.id, enabled),
    onSuccess: async (publicLink) => {
      queryClient.setQueryData<Cert>(queryKeys.cert(cert.id), (old) => (old ? { ...old, publicLink } : old));
      await queryClient.invalidateQueries({ queryKey: queryKeys.activity(cert.id) });
    },
  });
  const copy = useCopyLink();
  const enabled = cert.publicLink?.enabled === true;
  const url = enabled ? (cert.publicLink?.url ?? null) : null;
  return (
    <section className={styles.root} aria-labelledby="public-link-heading" data-testid="public-link">
      <Subtitle2 as="h4" id="public-link-heading" className={styles.heading}>
        {strings.share.publicLinkHeading}
      </Subtitle2>
      <Switch
        label={strings.share.publicLinkToggle}
        checked={enabled}
        disabled={toggle.isPending}
        onChange={(_, data) => {
          toggle.mutate(data.checked);
        }}
      />
      <Body1>{strings.share.publicLinkOffHint}</Body1>
      {toggle.isError ? <ProblemMessage error={toggle.error} onRetry={() => { toggle.mutate(!enabled); }} busy={toggle.isPending} /> : null}
      {url ? (
        <>
          <div className={styles.row}>
            <Field label={strings.share.publicLinkUrl} className={styles.url}>
              <Input readOnly value={url} data-testid="public-link-url" />
            </Field>
            <Button onClick={() => { copy.mutate(url); }}>{strings.share.copyLink}</Button>
          </div>
          {copy.isSuccess ? <Body1 role="status">{strings.share.linkCopied}</Body1> : null}
          {copy.isError ? <Body1 role="alert">{strings.share.copyFailed}</Body1> : null}
          <QrCode certId={cert.id} url={url} title={cert.title} />
        </>
      ) : null}
    </section>
  );
}

/** Copies to the clipboard; the host is told too when it shows notifications. */
function useCopyLink() {
  const host = useHost();
  const strings = useStrings();
  return useMutation({
    mutationFn: async (url: string) => {
      await navigator.clipboard.writeText(url);
      if (host.capabilities.notifications) await host.notify({ kind: "success", message: strings.share.linkCopied }).catch(() => undefined);
    },
  });
}
