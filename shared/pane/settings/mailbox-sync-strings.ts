import type { MailboxConnection, MailboxProvider } from "../../protocol/sync";
import { useFeatureLocale, type FeatureLocale } from "./locale";

/** Every user-visible string of Settings → Mailbox sync, in English and Swedish. */
export interface MailboxSyncStrings {
  heading: string;
  loading: string;
  empty: string;
  provider: Record<MailboxProvider, string>;
  status: Record<MailboxConnection["status"], string>;
  lastSync: string;
  never: string;
  lastError: string;
  failures: string;
  syncNow: string;
  queued: string;
  disconnect: string;
  disconnectFor: (provider: string) => string;
  syncFor: (provider: string) => string;
  connect: (provider: string) => string;
  connectAgain: string;
  connectAgainFor: (provider: string) => string;
  starting: string;
  waiting: (provider: string) => string;
  waitingHint: string;
  openLink: (provider: string) => string;
  openAgain: string;
  cancel: string;
  connected: (provider: string) => string;
  timedOut: (provider: string) => string;
  unavailable: string;
}

const en: MailboxSyncStrings = {
  heading: "Mailbox sync",
  loading: "Loading mailboxes…",
  empty: "No mailbox is connected. A connected mailbox files the SmartCert links you receive automatically.",
  provider: { graph: "Microsoft 365", gmail: "Gmail" },
  status: { active: "Connected", "needs-user": "Needs you: connect again" },
  lastSync: "Last sync",
  never: "not yet",
  lastError: "Last error",
  failures: "Messages that failed (last 14 days)",
  syncNow: "Sync now",
  queued: "Sync started",
  disconnect: "Disconnect",
  disconnectFor: (provider) => `Disconnect ${provider}`,
  syncFor: (provider) => `Sync ${provider} now`,
  connect: (provider) => `Connect ${provider}`,
  connectAgain: "Connect again",
  connectAgainFor: (provider) => `Connect ${provider} again`,
  starting: "Opening the sign-in page…",
  waiting: (provider) => `Waiting for ${provider}…`,
  waitingHint: "Sign in and allow access in the window that opened, then come back here.",
  openLink: (provider) => `Open the ${provider} sign-in page`,
  openAgain: "Open the sign-in page again",
  cancel: "Cancel",
  connected: (provider) => `${provider} is connected. Received SmartCert links will be filed automatically.`,
  timedOut: (provider) => `${provider} was not connected in time. Try again.`,
  unavailable: "No mailbox provider is set up on this server.",
};

const sv: MailboxSyncStrings = {
  heading: "Synkning av brevlåda",
  loading: "Hämtar brevlådor…",
  empty: "Ingen brevlåda är ansluten. En ansluten brevlåda arkiverar mottagna SmartCert-länkar automatiskt.",
  provider: { graph: "Microsoft 365", gmail: "Gmail" },
  status: { active: "Ansluten", "needs-user": "Behöver dig: anslut igen" },
  lastSync: "Senaste synkning",
  never: "inte än",
  lastError: "Senaste fel",
  failures: "Meddelanden som misslyckades (senaste 14 dagarna)",
  syncNow: "Synka nu",
  queued: "Synkning startad",
  disconnect: "Koppla från",
  disconnectFor: (provider) => `Koppla från ${provider}`,
  syncFor: (provider) => `Synka ${provider} nu`,
  connect: (provider) => `Anslut ${provider}`,
  connectAgain: "Anslut igen",
  connectAgainFor: (provider) => `Anslut ${provider} igen`,
  starting: "Öppnar inloggningssidan…",
  waiting: (provider) => `Väntar på ${provider}…`,
  waitingHint: "Logga in och ge åtkomst i fönstret som öppnades, och kom sedan tillbaka hit.",
  openLink: (provider) => `Öppna inloggningssidan för ${provider}`,
  openAgain: "Öppna inloggningssidan igen",
  cancel: "Avbryt",
  connected: (provider) => `${provider} är ansluten. Mottagna SmartCert-länkar arkiveras automatiskt.`,
  timedOut: (provider) => `${provider} anslöts inte i tid. Försök igen.`,
  unavailable: "Ingen brevlådeleverantör är konfigurerad på den här servern.",
};

export const mailboxSyncCatalogs: Readonly<Record<FeatureLocale, MailboxSyncStrings>> = { en, sv };

export function useMailboxSyncStrings(): MailboxSyncStrings {
  return mailboxSyncCatalogs[useFeatureLocale()];
}
