/** The sidebar's own few sentences (the pane brings its own catalogs), English and Swedish. */
export interface SidebarStrings {
  readonly cannotRead: string;
  readonly sharing: string;
  readonly shareFailed: (reason: string) => string;
  readonly startFailed: (reason: string) => string;
}

const en: SidebarStrings = {
  cannotRead: "SmartCert cannot read this Gmail view. Open the email again; if this stays, Gmail may have changed and the problem has been reported.",
  sharing: "Sharing the cert…",
  shareFailed: (reason) => `Share cert failed: ${reason}`,
  startFailed: (reason) => `SmartCert could not start in this tab: ${reason}`,
};

const sv: SidebarStrings = {
  cannotRead: "SmartCert kan inte läsa den här Gmail-vyn. Öppna mejlet igen; om det kvarstår kan Gmail ha ändrats och problemet har rapporterats.",
  sharing: "Delar certifikatet…",
  shareFailed: (reason) => `Det gick inte att dela certifikatet: ${reason}`,
  startFailed: (reason) => `SmartCert kunde inte starta i den här fliken: ${reason}`,
};

export function sidebarStrings(locale: string | undefined): SidebarStrings {
  return locale?.toLowerCase().startsWith("sv") ? sv : en;
}
