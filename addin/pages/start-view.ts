import { paneStartViews, type PaneStartView } from "../../shared/pane/start-view";

/** The view a ribbon button asked for (`taskpane.html?view=insert-cert`, see manifest.xml); unknown values open the default. */
export function startViewFromUrl(search: string): PaneStartView {
  const view = new URLSearchParams(search).get("view");
  return paneStartViews.find((candidate) => candidate === view) ?? "context";
}
