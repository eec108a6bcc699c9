import { Badge, Body1, Caption1, Spinner, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ItemList } from "../../api/client";
import type { Location, Role, UpdateUserBody, User } from "../../protocol/organizations";
import { useApi } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { LocationChecks } from "./LocationChecks";
import { meQueryKey, usersQueryKey } from "./queries";
import { useSettingsStrings } from "./strings";

const useStyles = makeStyles({
  row: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, paddingBlock: tokens.spacingVerticalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  line: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  email: { color: tokens.colorNeutralForeground3, overflowWrap: "anywhere" },
});

const roleOrder: readonly Role[] = ["writer", "admin"];

export interface UserRowProps {
  readonly user: User;
  readonly locations: readonly Location[];
  /** The signed-in admin: changing their own roles refreshes their account. */
  readonly meId: string;
}

/** One user: status, Writer and Admin switches and locations, each change saved at once. */
export function UserRow({ user, locations, meId }: UserRowProps) {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (body: UpdateUserBody) => api.updateUser(user.id, body),
    onSuccess: async (updated) => {
      queryClient.setQueryData<ItemList<User>>(usersQueryKey, (list) => list && { items: list.items.map((u) => (u.id === updated.id ? updated : u)) });
      if (updated.id === meId) await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
  // While a change is saved, show it as made.
  const roles = update.isPending && update.variables.roles ? update.variables.roles : user.roles;
  const locationIds = update.isPending && update.variables.locationIds ? update.variables.locationIds : user.locationIds;
  const name = user.displayName || user.email;

  return (
    <li className={styles.row} aria-label={name} data-testid="settings-user">
      <div className={styles.line}>
        <Body1>{name}</Body1>
        <Badge appearance="outline" color={user.status === "active" ? "success" : "warning"}>
          {strings.users.status[user.status]}
        </Badge>
        {update.isPending ? <Spinner size="extra-tiny" label={strings.users.saving} /> : null}
      </div>
      <Caption1 className={styles.email}>{user.email}</Caption1>
      <div className={styles.line}>
        {roleOrder.map((role) => (
          <Switch
            key={role}
            label={strings.roleNames[role]}
            aria-label={strings.users.roleFor(strings.roleNames[role], name)}
            checked={roles.includes(role)}
            disabled={update.isPending}
            onChange={(_event, data) => {
              update.mutate({ roles: roleOrder.filter((r) => (r === role ? data.checked : roles.includes(r))) });
            }}
          />
        ))}
      </div>
      <LocationChecks
        legend={strings.users.locationsLegend}
        label={strings.users.locationsFor(name)}
        locations={locations}
        selected={locationIds}
        disabled={update.isPending}
        keepOne
        onChange={(next) => {
          update.mutate({ locationIds: next });
        }}
      />
      {update.isError ? <ProblemMessage error={update.error} /> : null}
    </li>
  );
}
