import { Body1, Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import type { InviteUserBody, Location, Role } from "../../protocol/organizations";
import { useApi } from "../contexts";
import { fieldErrors } from "../create/field-errors";
import { ProblemMessage } from "../ProblemMessage";
import { LocationChecks } from "./LocationChecks";
import { usersQueryKey } from "./queries";
import { useSettingsStrings } from "./strings";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  fieldset: { border: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM },
  legend: { padding: 0, fontWeight: tokens.fontWeightSemibold },
  error: { color: tokens.colorPaletteRedForeground1 },
  actions: { display: "flex" },
});

const roleOrder: readonly Role[] = ["writer", "admin"];

/** Invites a user by email with privileges and locations. */
export function InviteUserForm({ locations }: { readonly locations: readonly Location[] }) {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [roles, setRoles] = useState<readonly Role[]>([]);
  // With one location there is nothing to choose: it is the one.
  const [locationIds, setLocationIds] = useState<string[]>(() => (locations.length === 1 && locations[0] ? [locations[0].id] : []));
  const [missing, setMissing] = useState({ email: false, locations: false });
  const invite = useMutation({
    mutationFn: (body: InviteUserBody) => api.inviteUser(body),
    onSuccess: async () => {
      setEmail("");
      setDisplayName("");
      setRoles([]);
      await queryClient.invalidateQueries({ queryKey: usersQueryKey });
    },
  });
  const serverErrors = fieldErrors(invite.error);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const address = email.trim();
    const name = displayName.trim();
    const next = { email: address === "", locations: locationIds.length === 0 };
    setMissing(next);
    if (next.email || next.locations) return;
    invite.mutate({ email: address, ...(name ? { displayName: name } : {}), roles: [...roles], locationIds });
  };

  const busy = invite.isPending;
  const locationError = missing.locations ? strings.invite.locationRequired : serverErrors["locationIds"];
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-labelledby="settings-invite-heading" data-testid="settings-invite">
      <Subtitle2 as="h4" id="settings-invite-heading" className={styles.heading}>
        {strings.invite.heading}
      </Subtitle2>
      {locations.length === 0 ? <Body1>{strings.invite.noLocations}</Body1> : null}
      <Field label={strings.invite.email} required validationMessage={missing.email ? strings.invite.emailRequired : serverErrors["email"]}>
        <Input type="email" value={email} disabled={busy} onChange={(_e, data) => { setEmail(data.value); }} />
      </Field>
      <Field label={strings.invite.displayName} hint={strings.invite.optional} validationMessage={serverErrors["displayName"]}>
        <Input value={displayName} disabled={busy} onChange={(_e, data) => { setDisplayName(data.value); }} />
      </Field>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>{strings.invite.roles}</legend>
        {roleOrder.map((role) => (
          <Checkbox
            key={role}
            label={strings.roleNames[role]}
            checked={roles.includes(role)}
            disabled={busy}
            onChange={(_e, data) => {
              setRoles(roleOrder.filter((r) => (r === role ? data.checked === true : roles.includes(r))));
            }}
          />
        ))}
      </fieldset>
      <LocationChecks legend={strings.invite.locations} locations={locations} selected={locationIds} onChange={setLocationIds} disabled={busy} invalid={locationError !== undefined} />
      {locationError ? <Body1 className={styles.error} role="alert">{locationError}</Body1> : null}
      {invite.isError ? <ProblemMessage error={invite.error} /> : null}
      {invite.isSuccess ? (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>{strings.invite.invited(invite.data.email)}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy || locations.length === 0}>
          {busy ? strings.invite.sending : strings.invite.submit}
        </Button>
      </div>
    </form>
  );
}
