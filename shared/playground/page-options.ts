import { paneStartViews, type PaneStartView } from "../pane/start-view";

/**
 * What the playground's query string can choose, for trying a host command's start view and for
 * measuring the pane alone:
 * - `?startView=insert-cert` (any `PaneStartView`): where the pane opens, as a host command would.
 * - `?layout=pane`: only the pane, full width, as in a host's task pane page (bench/pane.bench.ts
 *   measures its paint this way; make the window 320 px wide for Outlook's narrow pane).
 * - `?item=<sample key>`: the email selected first (default: the first one).
 * Sign in first on `/`: the provider redirects back to `/` without the query.
 */
export interface PageOptions {
  readonly startView: PaneStartView;
  readonly paneOnly: boolean;
  readonly itemKey: string | null;
}

export function pageOptions(search: string): PageOptions {
  const params = new URLSearchParams(search);
  const start = params.get("startView");
  return {
    startView: paneStartViews.find((view) => view === start) ?? "context",
    paneOnly: params.get("layout") === "pane",
    itemKey: params.get("item"),
  };
}
