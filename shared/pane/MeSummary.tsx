import { Badge, Body1, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { Me } from "../protocol/organizations";
import { useStrings } from "./contexts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  name: { margin: 0 },
  roles: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap", margin: 0, padding: 0, listStyleType: "none" },
});

/** Who is signed in: display name, organization and roles. */
export function MeSummary({ me }: { readonly me: Me }) {
  const strings = useStrings();
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <Subtitle2 as="h3" className={styles.name} data-testid="me-display-name">
        {me.user.displayName}
      </Subtitle2>
      <Body1>
        <Caption1>{strings.me.organization}: </Caption1>
        <span data-testid="me-org-name">{me.org.name}</span>
      </Body1>
      <ul className={styles.roles} aria-label={strings.me.roles} data-testid="me-roles">
        {me.user.roles.length === 0 ? (
          <li>
            <Badge appearance="outline">{strings.readOnlyRole}</Badge>
          </li>
        ) : (
          me.user.roles.map((role) => (
            <li key={role}>
              <Badge appearance="tint">{strings.roleNames[role]}</Badge>
            </li>
          ))
        )}
      </ul>
    </div>
  );
}
