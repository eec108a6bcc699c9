import { useFeatureLocale, type FeatureLocale } from "../pane/settings/locale";

/**
 * The strings "Send securely" needs for failures of one file, in English and Swedish. Kept apart
 * from ./strings.ts, which other views' work extends, so both can change without conflicts.
 */
export interface SendFailureStrings {
  /** `reason` is the server's or the browser's own sentence. */
  readonly encryptFailed: (fileName: string, reason: string) => string;
  readonly uploadFailed: (fileName: string, reason: string) => string;
}

const en: SendFailureStrings = {
  encryptFailed: (f, r) => `“${f}” could not be read and encrypted; nothing was sent. Try again, or remove the file. Reason: ${r}`,
  uploadFailed: (f, r) => `“${f}” was encrypted, but its upload failed; the link was not created. Try again. Reason: ${r}`,
};

const sv: SendFailureStrings = {
  encryptFailed: (f, r) => `Det gick inte att läsa och kryptera ”${f}”; inget skickades. Försök igen eller ta bort filen. Orsak: ${r}`,
  uploadFailed: (f, r) => `”${f}” krypterades, men uppladdningen misslyckades; länken skapades inte. Försök igen. Orsak: ${r}`,
};

export const sendFailureCatalogs: Readonly<Record<FeatureLocale, SendFailureStrings>> = { en, sv };

export function useSendFailureStrings(): SendFailureStrings {
  return sendFailureCatalogs[useFeatureLocale()];
}
