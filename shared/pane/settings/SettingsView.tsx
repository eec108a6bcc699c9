import { Divider, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ProblemMessage } from "../ProblemMessage";
import { AccountSection } from "./AccountSection";
import { LocationsSection } from "./LocationsSection";
import { MailboxSyncSection } from "./MailboxSyncSection";
import { useMe } from "./queries";
import { useSettingsStrings } from "./strings";
import { UsersSection } from "./UsersSection";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
});

/**
 * Settings: the signed-in account and Sign out; for admins also the organization's locations and
 * users (invite, Writer and Admin privileges, locations).
 */
export function SettingsView() {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const me = useMe();
  if (me.isPending) return <Spinner size="small" label={strings.loading} />;
  if (me.isError) {
    return (
      <ProblemMessage
        error={me.error}
        busy={me.isFetching}
        onRetry={() => {
          void me.refetch();
        }}
      />
    );
  }
  const isAdmin = me.data.user.roles.includes("admin");
  return (
    <div className={styles.root} data-testid="settings">
      <AccountSection me={me.data} />
      <Divider />
      <MailboxSyncSection />
      {isAdmin ? (
        <>
          <Divider />
          <LocationsSection />
          <Divider />
          <UsersSection meId={me.data.user.id} />
        </>
      ) : null}
    </div>
  );
}
