import { Body1, Caption1, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { ProblemMessage } from "../ProblemMessage";
import { CreateLocationForm } from "./CreateLocationForm";
import { useLocations } from "./queries";
import { useSettingsStrings } from "./strings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  place: { color: tokens.colorNeutralForeground3 },
});

/** The organization's locations, and a form to add one (admins). */
export function LocationsSection() {
  const strings = useSettingsStrings();
  const styles = useStyles();
  const locations = useLocations();
  let body;
  if (locations.isPending) body = <Spinner size="tiny" label={strings.locations.loading} />;
  else if (locations.isError) {
    body = (
      <ProblemMessage
        error={locations.error}
        busy={locations.isFetching}
        onRetry={() => {
          void locations.refetch();
        }}
      />
    );
  } else if (locations.data.items.length === 0) body = <Body1>{strings.locations.empty}</Body1>;
  else {
    body = (
      <ul className={styles.list} data-testid="settings-location-list">
        {locations.data.items.map((location) => {
          const place = [location.city, location.country].filter((p) => p !== null).join(", ");
          return (
            <li key={location.id}>
              <Body1>{location.name}</Body1>
              {place ? <Caption1 className={styles.place}> — {place}</Caption1> : null}
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <section className={styles.root} aria-labelledby="settings-locations-heading" data-testid="settings-locations">
      <Subtitle2 as="h3" id="settings-locations-heading" className={styles.heading}>
        {strings.locations.heading}
      </Subtitle2>
      {body}
      <CreateLocationForm />
    </section>
  );
}
