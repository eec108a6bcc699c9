import { Button, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import type { CreateLocationBody } from "../../protocol/organizations";
import { useApi } from "../contexts";
import { fieldErrors } from "../create/field-errors";
import { ProblemMessage } from "../ProblemMessage";
import { locationsQueryKey } from "./queries";
import { useSettingsStrings } from "./strings";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex" },
});

type LocationField = "name" | "city" | "country";
const empty: Record<LocationField, string> = { name: "", city: "", country: "" };

/** Adds a location to the organization. */
export function CreateLocationForm() {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(empty);
  const [nameMissing, setNameMissing] = useState(false);
  const create = useMutation({
    mutationFn: (body: CreateLocationBody) => api.createLocation(body),
    onSuccess: async () => {
      setValues(empty);
      await queryClient.invalidateQueries({ queryKey: locationsQueryKey });
    },
  });
  const serverErrors = fieldErrors(create.error);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const name = values.name.trim();
    setNameMissing(name === "");
    if (name === "") return;
    const city = values.city.trim();
    const country = values.country.trim();
    create.mutate({ name, ...(city ? { city } : {}), ...(country ? { country } : {}) });
  };

  const field = (name: LocationField, label: string) => (
    <Field
      label={label}
      required={name === "name"}
      validationMessage={name === "name" && nameMissing ? strings.locations.nameRequired : serverErrors[name]}
    >
      <Input
        value={values[name]}
        disabled={create.isPending}
        onChange={(_event, data) => {
          setValues((previous) => ({ ...previous, [name]: data.value }));
        }}
      />
    </Field>
  );

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label={strings.locations.add} data-testid="settings-add-location">
      {field("name", strings.locations.name)}
      {field("city", strings.locations.city)}
      {field("country", strings.locations.country)}
      {create.isError ? <ProblemMessage error={create.error} /> : null}
      {create.isSuccess ? (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>{strings.locations.added(create.data.name)}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? strings.locations.adding : strings.locations.add}
        </Button>
      </div>
    </form>
  );
}
