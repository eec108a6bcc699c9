import { Button, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";
import { useNavigation } from "../shell/navigation";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  item: { display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: tokens.spacingHorizontalS },
  title: { overflowWrap: "anywhere", textAlign: "start" },
});

/** What this organization already shared in the email's thread (asked by conversation id). */
export function ConversationShares({ conversationId }: { readonly conversationId: string }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const navigation = useNavigation();
  const shares = useQuery({
    queryKey: queryKeys.conversationShares(conversationId),
    queryFn: ({ signal }) => api.listSharesForConversation(conversationId, { signal }),
  });
  return (
    <section className={styles.root} aria-labelledby="conversation-heading" data-testid="conversation-shares">
      <Subtitle2 as="h4" id="conversation-heading" className={styles.heading}>
        {strings.email.conversationHeading}
      </Subtitle2>
      <QueryState query={shares} loadingLabel={strings.loading}>
        {() =>
          shares.data?.items.length ? (
            <ul className={styles.list}>
              {shares.data.items.map((share) => (
                <li key={`${share.certId}-${share.sharedAt}`} className={styles.item}>
                  <Button
                    appearance="transparent"
                    size="small"
                    className={styles.title}
                    onClick={() => {
                      navigation.push({ kind: "cert", certId: share.certId });
                    }}
                  >
                    {share.title}
                  </Button>
                  <Caption1>{strings.email.sharedOn(strings.formatDate(share.sharedAt))}</Caption1>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>{strings.email.nothingShared}</EmptyState>
          )
        }
      </QueryState>
    </section>
  );
}
