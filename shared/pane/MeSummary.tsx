import { Body1, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { RoleBadges } from "./RoleBadges";
import type { Me } from "../protocol/organizations";
import { useStrings } from "./contexts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  name: { margin: 0 },
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
      <RoleBadges roles={me.user.roles} label={strings.me.roles} readOnlyLabel={strings.readOnlyRole} roleNames={strings.roleNames} testId="me-roles" />
    </div>
  );
}
