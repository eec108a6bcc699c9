import { useFeatureLocale, type FeatureLocale } from "../pane/settings/locale";

/** Every user-visible string of "Send securely" and "Sent securely", in English and Swedish. */
export interface SecureStrings {
  readonly send: {
    readonly message: string;
    readonly files: string;
    readonly fromEmail: string;
    readonly addFiles: string;
    readonly remove: string;
    readonly policy: string;
    readonly expiresInDays: string;
    readonly maxOpens: string;
    readonly maxOpensHint: string;
    readonly recipients: string;
    readonly recipientsHint: string;
    readonly passphrase: string;
    readonly passphraseHint: string;
    readonly send: string;
    readonly sending: (percent: number) => string;
    readonly sent: string;
    readonly link: string;
    readonly insert: string;
    readonly inserted: string;
    readonly copy: string;
    readonly showSent: string;
    readonly failed: string;
    readonly empty: string;
  };
  readonly sent: {
    readonly empty: string;
    readonly loading: string;
    readonly failed: string;
    readonly opens: (count: number, max: number | null) => string;
    readonly expires: (date: string) => string;
    readonly revoke: string;
    readonly status: Readonly<Record<"uploading" | "active" | "opened-out" | "expired" | "revoked", string>>;
    readonly openedBy: (who: string, when: string) => string;
    /** Secure replies to a message (shared/secure/SentReplies.tsx). */
    readonly replies: (count: number) => string;
    readonly replyFrom: (who: string | null, when: string) => string;
    readonly replyOpens: (count: number) => string;
    readonly replyHint: string;
    readonly revokeReply: string;
  };
}

const en: SecureStrings = {
  send: {
    message: "Message",
    files: "Files",
    fromEmail: "Attach from this email",
    addFiles: "Add files from this device",
    remove: "Remove",
    policy: "Who may open it, and until when",
    expiresInDays: "Expires after (days, at most 30)",
    maxOpens: "Maximum opens",
    maxOpensHint: "Leave empty for no limit.",
    recipients: "Only these recipients (email addresses)",
    recipientsHint: "When set, the reader must sign in with one of these addresses.",
    passphrase: "Passphrase (optional)",
    passphraseHint: "Tell the recipient the passphrase another way (phone, SMS); the link alone will not open it.",
    send: "Encrypt and send",
    sending: (p) => `Encrypting and uploading… ${p} %`,
    sent: "Encrypted and uploaded. Only someone with the link can read it.",
    link: "Link",
    insert: "Insert link into the email",
    inserted: "Link inserted.",
    copy: "Copy link",
    showSent: "Sent securely",
    failed: "Sending failed",
    empty: "Write a message or add a file.",
  },
  sent: {
    empty: "You have not sent any encrypted messages yet.",
    loading: "Loading sent messages…",
    failed: "Sent messages could not be loaded.",
    opens: (c, m) => (m === null ? `Opened ${c} times` : `Opened ${c} of ${m} times`),
    expires: (d) => `Expires ${d}`,
    revoke: "Revoke",
    status: { uploading: "Uploading", active: "Active", "opened-out": "All opens used", expired: "Expired", revoked: "Revoked" },
    openedBy: (who, when) => `Opened by ${who} on ${when}`,
    replies: (c) => (c === 1 ? "1 secure reply" : `${c} secure replies`),
    replyFrom: (who, when) => (who === null ? `Reply received ${when}` : `Reply from ${who}, ${when}`),
    replyOpens: (c) => (c === 0 ? "not opened yet" : c === 1 ? "opened once" : `opened ${c} times`),
    replyHint: "The replier sends you the reply's link by email; open it and sign in with this account's address.",
    revokeReply: "Revoke reply",
  },
};

const sv: SecureStrings = {
  send: {
    message: "Meddelande",
    files: "Filer",
    fromEmail: "Bifoga från detta mejl",
    addFiles: "Lägg till filer från enheten",
    remove: "Ta bort",
    policy: "Vem får öppna det, och till när",
    expiresInDays: "Upphör efter (dagar, högst 30)",
    maxOpens: "Högsta antal öppningar",
    maxOpensHint: "Lämna tomt för ingen gräns.",
    recipients: "Endast dessa mottagare (e-postadresser)",
    recipientsHint: "När det är ifyllt måste läsaren logga in med en av adresserna.",
    passphrase: "Lösenfras (valfritt)",
    passphraseHint: "Ge mottagaren lösenfrasen på annat sätt (telefon, sms); länken ensam öppnar inte meddelandet.",
    send: "Kryptera och skicka",
    sending: (p) => `Krypterar och laddar upp… ${p} %`,
    sent: "Krypterat och uppladdat. Bara den som har länken kan läsa det.",
    link: "Länk",
    insert: "Infoga länken i mejlet",
    inserted: "Länken är infogad.",
    copy: "Kopiera länk",
    showSent: "Skickat säkert",
    failed: "Det gick inte att skicka",
    empty: "Skriv ett meddelande eller lägg till en fil.",
  },
  sent: {
    empty: "Du har inte skickat några krypterade meddelanden än.",
    loading: "Hämtar skickade meddelanden…",
    failed: "Det gick inte att hämta skickade meddelanden.",
    opens: (c, m) => (m === null ? `Öppnat ${c} gånger` : `Öppnat ${c} av ${m} gånger`),
    expires: (d) => `Upphör ${d}`,
    revoke: "Återkalla",
    status: { uploading: "Laddar upp", active: "Aktivt", "opened-out": "Alla öppningar använda", expired: "Upphört", revoked: "Återkallat" },
    openedBy: (who, when) => `Öppnat av ${who} ${when}`,
    replies: (c) => (c === 1 ? "1 säkert svar" : `${c} säkra svar`),
    replyFrom: (who, when) => (who === null ? `Svar mottaget ${when}` : `Svar från ${who}, ${when}`),
    replyOpens: (c) => (c === 0 ? "inte öppnat än" : c === 1 ? "öppnat en gång" : `öppnat ${c} gånger`),
    replyHint: "Den som svarar skickar svarets länk till dig med e-post; öppna den och logga in med det här kontots adress.",
    revokeReply: "Återkalla svaret",
  },
};

export const secureCatalogs: Readonly<Record<FeatureLocale, SecureStrings>> = { en, sv };

export function useSecureStrings(): SecureStrings {
  return secureCatalogs[useFeatureLocale()];
}
