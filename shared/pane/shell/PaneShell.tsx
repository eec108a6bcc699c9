import { Tab, TabList, makeStyles, mergeClasses, tokens, type SelectTabData } from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { CertsTab } from "../certs/CertsTab";
import { useCurrentItem, useStrings } from "../contexts";
import { EmailTab } from "../email/EmailTab";
import { SettingsView } from "../settings/SettingsView";
import { NavigationContext, stack, type Navigation, type PaneView } from "./navigation";
import { StackView } from "./StackView";

export type PaneTab = "email" | "certs" | "settings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  tabs: { flexWrap: "wrap" },
  panel: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  // The `hidden` attribute alone loses to the panel's display: flex.
  hidden: { display: "none" },
});

/** The stacked views and the email they were opened for. */
interface ViewState {
  readonly itemKey: string | null;
  readonly stack: readonly PaneView[];
}

const isPaneTab = (value: unknown): value is PaneTab => value === "email" || value === "certs" || value === "settings";

/**
 * The signed-in pane: tabs "This email" | "Certs" | "Settings", and a stack of views (cert, share
 * sheet, create) over them with Back. Choosing a tab or another email closes the stacked views
 * (all but an open create view).
 */
export function PaneShell({ header }: { readonly header?: ReactNode }) {
  const strings = useStrings();
  const styles = useStyles();
  const item = useCurrentItem();
  const [tab, setTab] = useState<PaneTab>("email");
  const [views, setViews] = useState<ViewState>({ itemKey: null, stack: [] });
  const itemKey = item?.key ?? null;
  // Views opened for another email do not carry over to this one (the share sheet names its
  // sender), except the create view, which keeps its uploads on screen by itself.
  const live = useCallback(
    (v: ViewState): readonly PaneView[] => (v.itemKey === itemKey || v.stack.at(-1)?.kind === "create" ? v.stack : []),
    [itemKey],
  );
  const current = live(views);
  // Keyboard users come back to the control that opened a view (the tab stays mounted under it).
  const openers = useRef<(HTMLElement | null)[]>([]);
  const refocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (refocus.current?.isConnected) refocus.current.focus();
    refocus.current = null;
  });
  const navigation = useMemo<Navigation>(
    () => ({
      push: (view) => {
        openers.current.push(document.activeElement instanceof HTMLElement ? document.activeElement : null);
        setViews((v) => ({ itemKey, stack: stack.push(live(v), view) }));
      },
      replace: (view) => {
        setViews((v) => ({ itemKey, stack: stack.replace(live(v), view) }));
      },
      back: () => {
        refocus.current = openers.current.pop() ?? null;
        setViews((v) => ({ itemKey, stack: stack.back(live(v)) }));
      },
    }),
    [itemKey, live],
  );
  const onTabSelect = (_: unknown, data: SelectTabData) => {
    if (isPaneTab(data.value)) setTab(data.value);
    setViews({ itemKey, stack: [] });
  };
  const top = current.at(-1);
  return (
    <NavigationContext value={navigation}>
      <div className={styles.root}>
        {tab !== "settings" ? header : null}
        <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={onTabSelect} aria-label={strings.nav.tabsLabel}>
          <Tab value="email" id="pane-tab-email" aria-controls="pane-tabpanel">
            {strings.nav.emailTab}
          </Tab>
          <Tab value="certs" id="pane-tab-certs" aria-controls="pane-tabpanel">
            {strings.nav.certsTab}
          </Tab>
          <Tab value="settings" id="pane-tab-settings" aria-controls="pane-tabpanel">
            {strings.nav.settingsTab}
          </Tab>
        </TabList>
        <div className={styles.panel} role="tabpanel" id="pane-tabpanel" aria-labelledby={`pane-tab-${tab}`}>
          {/* The tab stays mounted under a stacked view, so Back finds its search and scroll as left. */}
          <div className={mergeClasses(styles.panel, top !== undefined && styles.hidden)} hidden={top !== undefined}>
            <TabContent tab={tab} />
          </div>
          {top ? <StackView view={top} /> : null}
        </div>
      </div>
    </NavigationContext>
  );
}

function TabContent({ tab }: { readonly tab: PaneTab }) {
  switch (tab) {
    case "email":
      return <EmailTab />;
    case "certs":
      return <CertsTab />;
    case "settings":
      return <SettingsView />;
  }
}
