import { Body1, Caption1, MessageBar, MessageBarBody, MessageBarTitle, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { isApiError } from "../../api/client";
import type { EmailAddress } from "../../host/host";
import { useApi, useStrings } from "../contexts";
import { QueryState } from "../common/QueryState";
import { queryKeys } from "../query-keys";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  heading: { margin: 0 },
  name: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
});

/** The sender as a network user, or null when nobody on the network has that address (404). */
export function useSender(address: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.sender(address),
    queryFn: async ({ signal }) => {
      try {
        return await api.lookupUserByEmail(address, { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** Who sent the email, resolved against the network: name, company, locations; or an invite hint. */
export function SenderCard({ from }: { readonly from: EmailAddress }) {
  const strings = useStrings();
  const styles = useStyles();
  const sender = useSender(from.address);
  const name = from.name ?? from.address;
  return (
    <section className={styles.root} aria-labelledby="sender-heading" data-testid="sender">
      <Subtitle2 as="h4" id="sender-heading" className={styles.heading}>
        {strings.email.senderHeading}
      </Subtitle2>
      <QueryState query={sender} loadingLabel={strings.email.senderLoading}>
        {() =>
          sender.data ? (
            <>
              <Body1 className={styles.name} data-testid="sender-name">
                {sender.data.displayName}
              </Body1>
              <Caption1 data-testid="sender-org">{sender.data.orgName}</Caption1>
              {sender.data.locations.length > 0 ? (
                <Caption1>
                  {strings.email.locations}: {sender.data.locations.map((l) => l.name).join(", ")}
                </Caption1>
              ) : null}
            </>
          ) : (
            <MessageBar intent="info" layout="multiline" data-testid="sender-not-on-network">
              <MessageBarBody>
                <MessageBarTitle>{strings.email.notOnNetwork}</MessageBarTitle>
                {strings.email.inviteHint(name)}
              </MessageBarBody>
            </MessageBar>
          )
        }
      </QueryState>
    </section>
  );
}
