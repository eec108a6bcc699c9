import { Body1, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useApi, useStrings } from "../contexts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  title: { fontWeight: tokens.fontWeightSemibold },
});

/**
 * What the link shows before it is saved (previewPublicLink needs no sign-in and grants nothing).
 * When the preview cannot be had, nothing is shown: Save still explains a dead link.
 */
export function PublicLinkPreview({ token }: { readonly token: string }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const preview = useQuery({ queryKey: ["public-link-preview", token], queryFn: ({ signal }) => api.previewPublicLink(token, { signal }), retry: false });
  if (!preview.isSuccess) return null;
  const { title, ownerOrgName, poNumbers, heatNumbers, certNumbers, documentNames } = preview.data;
  const numbers = [...poNumbers, ...heatNumbers, ...certNumbers].join(", ");
  return (
    <div className={styles.root} data-testid="public-link-preview">
      <Body1 className={styles.title}>{title}</Body1>
      <Caption1>{strings.email.linkFrom(ownerOrgName)}</Caption1>
      {numbers ? <Caption1>{numbers}</Caption1> : null}
      <Caption1>{strings.email.linkDocuments(documentNames.length)}</Caption1>
    </div>
  );
}
