import { Checkbox, makeStyles, tokens } from "@fluentui/react-components";
import type { Location } from "../../protocol/organizations";

const useStyles = makeStyles({
  fieldset: { border: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM },
  legend: { padding: 0, fontWeight: tokens.fontWeightSemibold },
});

export interface LocationChecksProps {
  readonly legend: string;
  /** A longer accessible name for the group, when the legend alone is ambiguous. */
  readonly label?: string;
  readonly locations: readonly Location[];
  readonly selected: readonly string[];
  readonly onChange: (locationIds: string[]) => void;
  readonly disabled: boolean;
  /** Keeps the last checked location checked (a user needs at least one). */
  readonly keepOne?: boolean;
  readonly invalid?: boolean;
}

/** A checkbox per location of the organization. */
export function LocationChecks({ legend, label, locations, selected, onChange, disabled, keepOne = false, invalid = false }: LocationChecksProps) {
  const styles = useStyles();
  return (
    <fieldset className={styles.fieldset} aria-label={label} aria-invalid={invalid || undefined}>
      <legend className={styles.legend}>{legend}</legend>
      {locations.map((location) => {
        const checked = selected.includes(location.id);
        return (
          <Checkbox
            key={location.id}
            label={location.name}
            checked={checked}
            disabled={disabled || (keepOne && checked && selected.length === 1)}
            onChange={(_event, data) => {
              onChange(data.checked === true ? [...selected, location.id] : selected.filter((id) => id !== location.id));
            }}
          />
        );
      })}
    </fieldset>
  );
}
