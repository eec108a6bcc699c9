import type { Role } from "../protocol/organizations";

/**
 * Every user-visible string of the pane, per locale. To add a language, add its tag to `locales`
 * and a complete `Strings` object to `catalogs` — the compiler lists anything missing. Sentences
 * with values are functions so each language can order the words its own way.
 */

export const locales = ["en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

export interface Strings {
  readonly paneTitle: string;
  readonly loading: string;
  readonly signedOut: {
    readonly heading: string;
    readonly intro: string;
    readonly signIn: string;
    readonly redirecting: string;
  };
  readonly me: {
    readonly loading: string;
    readonly organization: string;
    readonly roles: string;
    readonly signOut: string;
  };
  readonly roleNames: Readonly<Record<Role, string>>;
  /** Shown instead of role badges for a user with neither Admin nor Writer. */
  readonly readOnlyRole: string;
  readonly currentItem: {
    readonly heading: string;
    readonly none: string;
    readonly from: (sender: string) => string;
    readonly composing: string;
    readonly noSubject: string;
    readonly attachments: (count: number) => string;
  };
  readonly notInvited: {
    readonly title: string;
    readonly message: (who: string) => string;
    /** Used for `who` when the provider gave neither an email nor a name. */
    readonly thisAccount: string;
    readonly useAnotherAccount: string;
    readonly signOut: string;
  };
  readonly errors: {
    readonly retry: string;
    readonly signInAgain: string;
    readonly network: string;
    readonly invalidResponse: string;
    readonly sessionExpired: string;
    readonly signInFailed: string;
    readonly unexpected: string;
  };
}

const en: Strings = {
  paneTitle: "SmartCert",
  loading: "Loading…",
  signedOut: {
    heading: "Sign in to SmartCert",
    intro: "Find, share and file certificates right from your mailbox.",
    signIn: "Sign in",
    redirecting: "Opening the sign-in page…",
  },
  me: {
    loading: "Loading your account…",
    organization: "Organization",
    roles: "Roles",
    signOut: "Sign out",
  },
  roleNames: { admin: "Admin", writer: "Writer" },
  readOnlyRole: "Reader (read only)",
  currentItem: {
    heading: "This email",
    none: "Select an email to see its SmartCert context.",
    from: (sender) => `From ${sender}`,
    composing: "You are writing an email.",
    noSubject: "(no subject)",
    attachments: (count) => (count === 1 ? "1 attachment" : `${count} attachments`),
  },
  notInvited: {
    title: "No organization has invited you yet",
    message: (who) =>
      `You're signed in as ${who}, but no organization has invited this address. Ask your admin to invite you.`,
    thisAccount: "this account",
    useAnotherAccount: "Try another account",
    signOut: "Sign out",
  },
  errors: {
    retry: "Retry",
    signInAgain: "Sign in again",
    network: "Can't reach SmartCert. Check your connection and try again.",
    invalidResponse: "SmartCert sent an answer this version of the add-in doesn't understand. Try again, or update the add-in.",
    sessionExpired: "Your sign-in has expired.",
    signInFailed: "Sign-in didn't complete. Try again.",
    unexpected: "Something went wrong.",
  },
};

export const catalogs: Readonly<Record<Locale, Strings>> = { en };

/** The supported locale for a BCP 47 tag (`sv-SE` → `sv`), falling back to English. */
export function resolveLocale(languageTag: string | undefined): Locale {
  const language = languageTag?.toLowerCase().split("-")[0];
  return locales.find((l) => l === language) ?? defaultLocale;
}
