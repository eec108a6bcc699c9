import { Button, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { MailItem } from "../../host/host";
import { useStrings } from "../contexts";
import { useNavigation } from "../shell/navigation";
import { paneExtraViewNames, usePaneStart, type PaneExtraViewName } from "../start-view";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: { margin: 0 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

/** Sending securely writes into a draft; the list of sent messages fits any item. */
const fitsItem = (name: PaneExtraViewName, item: MailItem) => name !== "send-securely" || item.kind === "compose";

/** Ways into the registered extra views (App's `extraViews`); nothing when none fits this item. */
export function ExtraViewLinks({ item }: { readonly item: MailItem }) {
  const strings = useStrings();
  const styles = useStyles();
  const navigation = useNavigation();
  const { extraViews } = usePaneStart();
  const names = paneExtraViewNames.filter((name) => extraViews[name] !== undefined && fitsItem(name, item));
  if (names.length === 0) return null;
  return (
    <section className={styles.root} aria-labelledby="extra-views-heading" data-testid="extra-view-links">
      <Subtitle2 as="h3" id="extra-views-heading" className={styles.heading}>
        {strings.extraViews.entryHeading}
      </Subtitle2>
      <div className={styles.actions}>
        {names.map((name) => (
          <Button
            key={name}
            onClick={() => {
              navigation.push({ kind: "extra", name });
            }}
          >
            {strings.extraViews.titles[name]}
          </Button>
        ))}
      </div>
    </section>
  );
}
