import { Badge, makeStyles, tokens } from "@fluentui/react-components";
import type { Role } from "../protocol/organizations";

const useStyles = makeStyles({
  roles: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap", margin: 0, padding: 0, listStyleType: "none" },
});

/** A user's privileges as badges; "read only" when they have neither Admin nor Writer. */
export function RoleBadges(props: {
  readonly roles: readonly Role[];
  readonly label: string;
  readonly readOnlyLabel: string;
  readonly roleNames: Readonly<Record<Role, string>>;
  readonly testId: string;
}) {
  const styles = useStyles();
  return (
    <ul className={styles.roles} aria-label={props.label} data-testid={props.testId}>
      {props.roles.length === 0 ? (
        <li>
          <Badge appearance="outline">{props.readOnlyLabel}</Badge>
        </li>
      ) : (
        props.roles.map((role) => (
          <li key={role}>
            <Badge appearance="tint">{props.roleNames[role]}</Badge>
          </li>
        ))
      )}
    </ul>
  );
}
