import { Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { EmptyState, QueryState } from "../common/QueryState";
import { useApi, useStrings } from "../contexts";
import { queryKeys } from "../query-keys";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
});

/** The cert's audit trail; only mounted for the owner side (access.canViewActivity). */
export function ActivityList({ certId }: { readonly certId: string }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const activity = useQuery({ queryKey: queryKeys.activity(certId), queryFn: ({ signal }) => api.listCertActivity(certId, { signal }) });
  return (
    <section className={styles.root} aria-labelledby="activity-heading" data-testid="activity">
      <Subtitle2 as="h4" id="activity-heading" className={styles.heading}>
        {strings.detail.activityHeading}
      </Subtitle2>
      <QueryState query={activity} loadingLabel={strings.detail.activityLoading}>
        {() =>
          activity.data?.items.length ? (
            <ul className={styles.list}>
              {activity.data.items.map((event) => (
                <li key={event.id}>
                  <Caption1>
                    {strings.detail.activityLine(
                      strings.detail.activityTypes[event.type],
                      event.actor ? `${event.actor.displayName} (${event.actor.orgName})` : null,
                      strings.formatDate(event.createdAt),
                    )}
                  </Caption1>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>{strings.detail.noActivity}</EmptyState>
          )
        }
      </QueryState>
    </section>
  );
}
