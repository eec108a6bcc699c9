import { Body1, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { MailItem } from "../host/host";
import { useCurrentItem, useStrings } from "./contexts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  heading: { margin: 0 },
  subject: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
});

/** The email the pane is about; follows the host's item-changed events. */
export function CurrentItemCard() {
  const strings = useStrings();
  const styles = useStyles();
  const item = useCurrentItem();
  return (
    <section className={styles.root} aria-labelledby="current-item-heading" data-testid="current-item">
      <Subtitle2 as="h3" id="current-item-heading" className={styles.heading}>
        {strings.currentItem.heading}
      </Subtitle2>
      {item === null ? <Body1>{strings.currentItem.none}</Body1> : <ItemLines item={item} />}
    </section>
  );
}

function ItemLines({ item }: { readonly item: MailItem }) {
  const strings = useStrings();
  const styles = useStyles();
  const sender = item.kind === "read" ? (item.from.name ?? item.from.address) : null;
  const files = item.attachments.filter((a) => !a.isInline).length;
  return (
    <>
      <Body1 className={styles.subject} data-testid="current-item-subject">
        {item.subject || strings.currentItem.noSubject}
      </Body1>
      <Caption1>{sender === null ? strings.currentItem.composing : strings.currentItem.from(sender)}</Caption1>
      {files > 0 ? <Caption1>{strings.currentItem.attachments(files)}</Caption1> : null}
    </>
  );
}
