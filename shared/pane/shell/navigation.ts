import { createContext, useContext } from "react";
import type { PaneExtraViewName } from "../start-view";

/** The views the pane stacks over its tabs; Back returns to the one below. */
export type PaneView =
  | { readonly kind: "cert"; readonly certId: string }
  | { readonly kind: "share"; readonly certId: string }
  | { readonly kind: "create" }
  /** A view registered through `App`'s `extraViews` (e.g. "send-securely"). */
  | { readonly kind: "extra"; readonly name: PaneExtraViewName };

export interface Navigation {
  /** Opens a view over the current one. */
  readonly push: (view: PaneView) => void;
  /** Replaces the top view (e.g. the create form by the cert it created). */
  readonly replace: (view: PaneView) => void;
  /** Back to the view below, or to the tabs. */
  readonly back: () => void;
}

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (navigation === null) throw new Error("useNavigation must be used inside the pane shell (no NavigationContext).");
  return navigation;
}

/** Pure stack operations, kept apart from React so they are easy to reason about. */
export const stack = {
  push: (views: readonly PaneView[], view: PaneView): readonly PaneView[] => [...views, view],
  replace: (views: readonly PaneView[], view: PaneView): readonly PaneView[] => [...views.slice(0, -1), view],
  back: (views: readonly PaneView[]): readonly PaneView[] => views.slice(0, -1),
};
