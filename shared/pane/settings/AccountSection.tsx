import { Body1, Button, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { Me } from "../../protocol/organizations";
import { ProblemMessage } from "../ProblemMessage";
import { RoleBadges } from "../RoleBadges";
import { useSignOut } from "../session";
import { useSettingsStrings } from "./strings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  actions: { display: "flex" },
});

/** Who is signed in (name, organization, roles) and Sign out. */
export function AccountSection({ me }: { readonly me: Me }) {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const signOut = useSignOut();
  return (
    <section className={styles.root} aria-labelledby="settings-account-heading" data-testid="settings-account">
      <Subtitle2 as="h3" id="settings-account-heading" className={styles.heading}>
        {strings.account.heading}
      </Subtitle2>
      <Body1 data-testid="settings-display-name">{me.user.displayName}</Body1>
      <Body1>
        <Caption1>{strings.account.organization}: </Caption1>
        <span data-testid="settings-org-name">{me.org.name}</span>
      </Body1>
      <RoleBadges roles={me.user.roles} label={strings.account.roles} readOnlyLabel={strings.account.readOnly} roleNames={strings.roleNames} testId="settings-roles" />
      {signOut.isError ? <ProblemMessage error={signOut.error} /> : null}
      <div className={styles.actions}>
        <Button
          disabled={signOut.isPending}
          onClick={() => {
            signOut.mutate();
          }}
        >
          {signOut.isPending ? strings.account.signingOut : strings.account.signOut}
        </Button>
      </div>
    </section>
  );
}
