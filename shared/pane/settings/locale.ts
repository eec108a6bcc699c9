import { createContext, useContext } from "react";

/**
 * The language of the create and settings views. The main catalog (`../strings.ts`) does not
 * expose its locale yet, so the shell provides this next to `StringsContext`; it defaults to
 * English. Move it next to the main catalog once that one knows Swedish too.
 */
export const featureLocales = ["en", "sv"] as const;
export type FeatureLocale = (typeof featureLocales)[number];

export const LocaleContext = createContext<FeatureLocale>("en");

export function useFeatureLocale(): FeatureLocale {
  return useContext(LocaleContext);
}

/** The supported locale for a BCP 47 tag (`sv-SE` → `sv`), falling back to English. */
export function resolveFeatureLocale(languageTag: string | undefined): FeatureLocale {
  const language = languageTag?.toLowerCase().split("-")[0];
  return featureLocales.find((l) => l === language) ?? "en";
}
