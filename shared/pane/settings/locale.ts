import { createContext, useContext } from "react";

/**
 * The language of the create and settings views. `App` resolves it from the same host language
 * (`host.locale`) as the main catalog (`../strings.ts`) and provides it next to `StringsContext`;
 * it defaults to English.
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
