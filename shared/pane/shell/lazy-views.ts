import { lazyView, preloadViews } from "./lazy-view";

/**
 * The pane's code beyond its first paint (title, spinner, signed-out view): each view's code, and
 * the Fluent components only it uses, load on first use. The signed-in shell starts loading as
 * soon as the pane mounts, beside the session check (`preloadSignedIn`); the other views once the
 * signed-in pane is on screen (`preloadPaneViews`), so opening one later rarely waits.
 */
export const SignedInView = lazyView(() => import("../SignedInView").then((m) => m.SignedInView));
export const CertsTab = lazyView(() => import("../certs/CertsTab").then((m) => m.CertsTab));
export const CertDetailView = lazyView(() => import("../certs/CertDetailView").then((m) => m.CertDetailView));
export const ShareSheet = lazyView(() => import("../share/ShareSheet").then((m) => m.ShareSheet));
export const CreateCertView = lazyView(() => import("../create/CreateCertView").then((m) => m.CreateCertView));
export const SettingsView = lazyView(() => import("../settings/SettingsView").then((m) => m.SettingsView));

export function preloadSignedIn(): void {
  preloadViews([SignedInView]);
}

const paneViews = [ShareSheet, CertDetailView, CertsTab, CreateCertView, SettingsView];

export function preloadPaneViews(): void {
  preloadViews(paneViews);
}

/** Loads every view's code and waits for it (tests, or a host that prefers one load up front). */
export async function loadAllPaneViews(): Promise<void> {
  await Promise.all([SignedInView, ...paneViews].map((view) => view.preload()));
}
