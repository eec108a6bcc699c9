import { Body1, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { ProblemMessage } from "../ProblemMessage";
import { InviteUserForm } from "./InviteUserForm";
import { useLocations, useUsers } from "./queries";
import { useSettingsStrings } from "./strings";
import { UserRow } from "./UserRow";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

/** The organization's users with their privileges and locations, and the invite form (admins). */
export function UsersSection({ meId }: { readonly meId: string }) {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const users = useUsers();
  const locations = useLocations();
  let body;
  if (users.isError || locations.isError) {
    body = (
      <ProblemMessage
        error={users.error ?? locations.error}
        busy={users.isFetching || locations.isFetching}
        onRetry={() => {
          if (users.isError) void users.refetch();
          if (locations.isError) void locations.refetch();
        }}
      />
    );
  } else if (users.isPending || locations.isPending) body = <Spinner size="tiny" label={strings.users.loading} />;
  else {
    const organizationLocations = locations.data.items;
    body = (
      <>
        {users.data.items.length === 0 ? (
          <Body1>{strings.users.empty}</Body1>
        ) : (
          <ul className={styles.list} aria-labelledby="settings-users-heading" data-testid="settings-user-list">
            {users.data.items.map((user) => (
              <UserRow key={user.id} user={user} locations={organizationLocations} meId={meId} />
            ))}
          </ul>
        )}
        <InviteUserForm key={organizationLocations.length} locations={organizationLocations} />
      </>
    );
  }
  return (
    <section className={styles.root} aria-labelledby="settings-users-heading" data-testid="settings-users">
      <Subtitle2 as="h3" id="settings-users-heading" className={styles.heading}>
        {strings.users.heading}
      </Subtitle2>
      {body}
    </section>
  );
}
