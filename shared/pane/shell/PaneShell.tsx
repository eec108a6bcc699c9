import { Tab, TabList, makeStyles, mergeClasses, tokens, type SelectTabData } from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { NewCertsAnnouncer, NewCertsBadge } from "../changes/NewCertsBadge";
import { useNewCertCount } from "../changes/use-change-stream";
import { useCurrentItem, useStrings } from "../contexts";
import { EmailTab } from "../email/EmailTab";
import { usePaneStart, type PaneStartView } from "../start-view";
import { ViewBoundary } from "./lazy-view";
import { CertsTab, SettingsView, preloadPaneViews } from "./lazy-views";
import { NavigationContext, stack, type Navigation, type PaneView } from "./navigation";
import { StackView } from "./StackView";

export type PaneTab = "email" | "certs" | "settings";

/** The tab, the views stacked over it, and the Certs tab's mode a start view opens with. */
function startState(startView: PaneStartView) {
  switch (startView) {
    case "context":
      return { tab: "email", stack: [], insertMode: false } as const;
    case "certs":
      return { tab: "certs", stack: [], insertMode: false } as const;
    case "insert-cert":
      return { tab: "certs", stack: [], insertMode: true } as const;
    case "send-securely":
      return { tab: "email", stack: [{ kind: "extra", name: "send-securely" }], insertMode: false } as const;
    case "settings":
      return { tab: "settings", stack: [], insertMode: false } as const;
  }
}

/** Views that outlive a change of email: they hold the user's unsaved work (uploads, a message being written). */
const keepsAcrossItems = (view: PaneView | undefined) => view?.kind === "create" || view?.kind === "extra";

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
 * sheet, create, extra views) over them with Back. Choosing a tab or another email closes the
 * stacked views (all but an open create or extra view). `App`'s `startView` picks where it opens.
 */
export function PaneShell({ header }: { readonly header?: ReactNode }) {
  const strings = useStrings();
  const styles = useStyles();
  const item = useCurrentItem();
  const itemKey = item?.key ?? null;
  const { startView } = usePaneStart();
  const [started, setStarted] = useState(startView);
  const [tab, setTab] = useState<PaneTab>(() => startState(startView).tab);
  const [insertMode, setInsertMode] = useState(() => startState(startView).insertMode);
  const [views, setViews] = useState<ViewState>(() => ({ itemKey, stack: startState(startView).stack }));
  // A host re-opening the pane with another start view (another command) starts over there.
  if (started !== startView) {
    const start = startState(startView);
    setStarted(startView);
    setTab(start.tab);
    setInsertMode(start.insertMode);
    setViews({ itemKey, stack: start.stack });
  }
  // Views opened for another email do not carry over to this one (the share sheet names its
  // sender), except those holding unsaved work.
  const live = useCallback(
    (v: ViewState): readonly PaneView[] => (v.itemKey === itemKey || keepsAcrossItems(v.stack.at(-1)) ? v.stack : []),
    [itemKey],
  );
  // The first paint needs only "This email"; the other views' code follows in the background.
  useEffect(() => {
    const timer = setTimeout(preloadPaneViews, 0);
    return () => {
      clearTimeout(timer);
    };
  }, []);
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
  // The Certs list is in view: changes refresh it in place, so they are not "new" to the user.
  const newCerts = useNewCertCount(tab === "certs" && top === undefined);
  return (
    <NavigationContext value={navigation}>
      <div className={styles.root}>
        {tab !== "settings" ? header : null}
        <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={onTabSelect} aria-label={strings.nav.tabsLabel}>
          <Tab value="email" id="pane-tab-email" aria-controls="pane-tabpanel">
            {strings.nav.emailTab}
          </Tab>
          <Tab value="certs" id="pane-tab-certs" aria-controls="pane-tabpanel" aria-label={newCerts > 0 ? strings.nav.certsTabNew(newCerts) : undefined}>
            {strings.nav.certsTab}
            <NewCertsBadge count={newCerts} />
          </Tab>
          <Tab value="settings" id="pane-tab-settings" aria-controls="pane-tabpanel">
            {strings.nav.settingsTab}
          </Tab>
        </TabList>
        <NewCertsAnnouncer count={newCerts} />
        <div className={styles.panel} role="tabpanel" id="pane-tabpanel" aria-labelledby={`pane-tab-${tab}`}>
          {/* The tab stays mounted under a stacked view, so Back finds its search and scroll as left. */}
          <div className={mergeClasses(styles.panel, top !== undefined && styles.hidden)} hidden={top !== undefined}>
            <ViewBoundary key={tab}>
              <TabContent tab={tab} insertMode={insertMode} />
            </ViewBoundary>
          </div>
          {top ? <StackView view={top} /> : null}
        </div>
      </div>
    </NavigationContext>
  );
}

function TabContent({ tab, insertMode }: { readonly tab: PaneTab; readonly insertMode: boolean }) {
  switch (tab) {
    case "email":
      return <EmailTab />;
    case "certs":
      return <CertsTab mode={insertMode ? "insert" : "browse"} />;
    case "settings":
      return <SettingsView />;
  }
}
