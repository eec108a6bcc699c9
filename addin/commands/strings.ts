import { resolveLocale, type Locale } from "../../shared/pane/strings";

/** The few sentences the "Share cert" command says itself; the rest come from the pane's catalogs. */
export interface CommandStrings {
  readonly signInFirst: string;
  readonly failed: (reason: string) => string;
  readonly openPane: string;
}

const catalogs: Readonly<Record<Locale, CommandStrings>> = {
  en: {
    signInFirst: "Sign in to SmartCert in the pane first, then press Share cert again.",
    failed: (reason) => `Share cert failed: ${reason}`,
    openPane: "Open SmartCert",
  },
  sv: {
    signInFirst: "Logga in i SmartCert-fönstret först och tryck sedan på Dela cert igen.",
    failed: (reason) => `Dela cert misslyckades: ${reason}`,
    openPane: "Öppna SmartCert",
  },
};

export function commandStrings(languageTag: string | undefined): CommandStrings {
  return catalogs[resolveLocale(languageTag)];
}
