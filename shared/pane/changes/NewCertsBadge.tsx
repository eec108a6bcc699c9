import { CounterBadge, makeStyles, tokens } from "@fluentui/react-components";
import { useStrings } from "../contexts";

const useStyles = makeStyles({
  badge: { marginInlineStart: tokens.spacingHorizontalXS },
  // Read by screen readers, not shown: the badge already says it visually.
  visuallyHidden: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clipPath: "inset(50%)", whiteSpace: "nowrap" },
});

/**
 * The number on the Certs tab. It is hidden from assistive technology because the tab's own
 * accessible name carries it ("Certs, 3 new"), which a screen reader reads as one phrase.
 */
export function NewCertsBadge({ count }: { readonly count: number }) {
  const styles = useStyles();
  if (count === 0) return null;
  return <CounterBadge className={styles.badge} count={count} size="small" aria-hidden data-testid="certs-tab-badge" />;
}

/**
 * A polite live region: when the count grows, screen readers say so without moving focus. It is
 * always in the document (a region added together with its text is often not announced).
 */
export function NewCertsAnnouncer({ count }: { readonly count: number }) {
  const strings = useStrings();
  const styles = useStyles();
  return (
    <div className={styles.visuallyHidden} role="status" aria-live="polite" aria-atomic="true" data-testid="certs-tab-announcer">
      {count > 0 ? strings.nav.newCertsAnnouncement(count) : ""}
    </div>
  );
}
