import { createContext, useContext, type ComponentType } from "react";

/**
 * Where the pane opens, and the views other features plug into it. Host pages choose the start
 * view for the command that opened the pane (`<App host api startView="insert-cert" />` from a
 * compose command, for example); see shared/README.md.
 */

/**
 * - `context`: the "This email" tab (the default).
 * - `certs`: the Certs tab.
 * - `insert-cert`: the Certs tab in insert mode: each cert offers "Insert link" and, while
 *   composing where the host can attach files, "Attach documents".
 * - `send-securely`: the view registered as `extraViews["send-securely"]` over "This email"
 *   (Back returns there); a "not available in this build" message when none is registered.
 * - `settings`: the Settings tab.
 */
export type PaneStartView = "context" | "certs" | "insert-cert" | "send-securely" | "settings";

export const paneStartViews: readonly PaneStartView[] = ["context", "certs", "insert-cert", "send-securely", "settings"];

/** Views that live outside shared/pane (shared/secure) and are shown by the pane's shell. */
export type PaneExtraViewName = "send-securely" | "sent-securely";

export const paneExtraViewNames: readonly PaneExtraViewName[] = ["send-securely", "sent-securely"];

/** What the shell gives an extra view. It reads host, API and item through the pane's hooks (contexts.ts). */
export interface PaneExtraViewProps {
  /** Opens another extra view over this one (e.g. "sent-securely" after sending). */
  readonly open: (name: PaneExtraViewName) => void;
  /** Back to the view below (the tabs, or the view that opened this one). */
  readonly close: () => void;
}

/**
 * Registered extra views, usually `React.lazy(() => import(...))` so their code stays out of the
 * pane's entry bundle. The shell wraps each in a loading spinner and an error boundary with Retry.
 */
export type PaneExtraViews = Partial<Record<PaneExtraViewName, ComponentType<PaneExtraViewProps>>>;

export interface PaneStart {
  readonly startView: PaneStartView;
  readonly extraViews: PaneExtraViews;
}

export const PaneStartContext = createContext<PaneStart>({ startView: "context", extraViews: {} });

export function usePaneStart(): PaneStart {
  return useContext(PaneStartContext);
}
