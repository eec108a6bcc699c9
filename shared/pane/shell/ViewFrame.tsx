import { Button, makeStyles, tokens, typographyStyles } from "@fluentui/react-components";
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { useStrings } from "../contexts";
import { useNavigation } from "./navigation";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  bar: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0, overflowWrap: "anywhere", minWidth: 0, ":focus": { outlineStyle: "none" }, ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}` } },
});

export interface ViewFrameProps {
  readonly title: string;
  readonly testId: string;
  readonly children: ReactNode;
}

/**
 * A stacked view: Back button and title on top. The title takes focus when the view opens, so
 * keyboard and screen-reader users land on it; Escape goes back.
 */
export function ViewFrame({ title, testId, children }: ViewFrameProps) {
  const strings = useStrings();
  const styles = useStyles();
  const navigation = useNavigation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      navigation.back();
    }
  };
  return (
    <section className={styles.root} aria-labelledby={`${testId}-title`} data-testid={testId} onKeyDown={onKeyDown}>
      <div className={styles.bar}>
        <Button appearance="subtle" size="small" onClick={navigation.back} data-testid="pane-back">
          {`← ${strings.nav.back}`}
        </Button>
      </div>
      <h3 id={`${testId}-title`} className={styles.heading} tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {children}
    </section>
  );
}
