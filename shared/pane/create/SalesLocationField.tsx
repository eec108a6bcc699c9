import { Caption1, Field, Select } from "@fluentui/react-components";
import type { Me } from "../../protocol/organizations";
import { useLocations } from "../settings/queries";
import { useCreateStrings } from "./strings";

export interface SalesLocationFieldProps {
  readonly me: Me;
  readonly value: string;
  readonly onChange: (locationId: string) => void;
  readonly disabled: boolean;
  readonly error: string | undefined;
}

/** Optional Sales Location: one of the user's own locations, or none (all of them own the cert). */
export function SalesLocationField({ me, value, onChange, disabled, error }: SalesLocationFieldProps) {
  const strings = useCreateStrings();
  const locations = useLocations();
  const mine = (locations.data?.items ?? []).filter((l) => me.user.locationIds.includes(l.id));
  if (locations.isError) return <Caption1 data-testid="sales-location-failed">{strings.fields.locationsFailed}</Caption1>;
  // With one location there is nothing to choose.
  if (locations.isSuccess && mine.length < 2) return null;
  return (
    <Field label={strings.fields.salesLocation} hint={strings.fields.salesLocationHint} validationMessage={error}>
      <Select
        value={value}
        disabled={disabled || locations.isPending}
        onChange={(_event, data) => {
          onChange(data.value);
        }}
      >
        <option value="">{locations.isPending ? strings.loading : strings.fields.allMyLocations}</option>
        {mine.map((location) => (
          <option key={location.id} value={location.id}>
            {location.name}
            {location.city ? ` (${location.city})` : ""}
          </option>
        ))}
      </Select>
    </Field>
  );
}
