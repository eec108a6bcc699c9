import { Body1, Button, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { PublicLinkReference } from "../../mail/references";
import { useApi, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { useNavigation } from "../shell/navigation";
import { PublicLinkPreview } from "./PublicLinkPreview";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  heading: { margin: 0 },
  url: { overflowWrap: "anywhere", fontFamily: tokens.fontFamilyMonospace },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

/** A SmartCert link in the email: what it is, and one click to save the cert, which then opens. */
export function PublicLinkCard({ link }: { readonly link: PublicLinkReference }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigation = useNavigation();
  const save = useMutation({
    mutationFn: () => api.acceptPublicLink(link.token),
    onSuccess: async (cert) => {
      queryClient.setQueryData(queryKeys.cert(cert.id), cert);
      navigation.push({ kind: "cert", certId: cert.id });
      await queryClient.invalidateQueries({ queryKey: ["certs"] });
    },
  });
  const run = () => {
    save.mutate();
  };
  return (
    <section className={styles.root} aria-labelledby={`link-${link.token}`} data-testid="public-link-card">
      <Subtitle2 as="h4" id={`link-${link.token}`} className={styles.heading}>
        {strings.email.linkHeading}
      </Subtitle2>
      <Caption1 className={styles.url}>{link.url}</Caption1>
      <PublicLinkPreview token={link.token} />
      <Body1>{strings.email.linkIntro}</Body1>
      {save.isSuccess ? (
        <Body1 role="status">{strings.email.saved(save.data.title)}</Body1>
      ) : null}
      {save.isError ? <ProblemMessage error={save.error} onRetry={run} busy={save.isPending} /> : null}
      <div className={styles.actions}>
        {save.isSuccess ? (
          <Button
            onClick={() => {
              navigation.push({ kind: "cert", certId: save.data.id });
            }}
          >
            {strings.email.openCert}
          </Button>
        ) : (
          <Button appearance="primary" onClick={run} disabled={save.isPending}>
            {strings.email.save}
          </Button>
        )}
      </div>
    </section>
  );
}
