import type { AuditEventType, CertScope } from "../protocol/certs";
import type { Role } from "../protocol/organizations";
import type { ReferenceKind } from "../mail/references";
import type { PaneExtraViewName } from "./start-view";
import { en } from "./strings.en";
import { sv } from "./strings.sv";

/**
 * Every user-visible string of the pane, per locale. To add a language, add its tag to `locales`
 * and a complete `Strings` object (one file per language: `strings.en.ts`, `strings.sv.ts`, …) to
 * `catalogs` — the compiler lists anything missing. Sentences with values are functions so each
 * language can order the words its own way.
 */

export const locales = ["en", "sv"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

export interface Strings {
  readonly paneTitle: string;
  readonly loading: string;
  /** A date (ISO 8601) the way this language writes it. */
  readonly formatDate: (iso: string) => string;
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
  readonly nav: {
    readonly tabsLabel: string;
    readonly emailTab: string;
    readonly certsTab: string;
    /** The Certs tab's accessible name while it has a badge: certs changed since the user last looked. */
    readonly certsTabNew: (count: number) => string;
    /** Said (politely) by screen readers when the badge grows. */
    readonly newCertsAnnouncement: (count: number) => string;
    readonly settingsTab: string;
    readonly back: string;
  };
  readonly email: {
    readonly readingBody: string;
    readonly senderHeading: string;
    readonly senderLoading: string;
    readonly notOnNetwork: string;
    readonly inviteHint: (name: string) => string;
    readonly locations: string;
    readonly referencesHeading: string;
    readonly noReferences: string;
    readonly referenceLabel: (kind: ReferenceKind, value: string) => string;
    readonly searchingCerts: string;
    readonly noMatches: string;
    readonly conversationHeading: string;
    readonly nothingShared: string;
    readonly sharedOn: (date: string) => string;
    readonly linkHeading: string;
    readonly linkIntro: string;
    readonly linkFrom: (organization: string) => string;
    readonly linkDocuments: (count: number) => string;
    readonly save: string;
    readonly saved: (title: string) => string;
    readonly openCert: string;
    readonly composeHint: string;
    readonly createFromAttachments: string;
  };
  readonly certs: {
    readonly heading: string;
    readonly searchLabel: string;
    readonly searchPlaceholder: string;
    readonly scopeLabel: string;
    readonly scopes: Readonly<Record<CertScope, string>>;
    readonly loading: string;
    readonly empty: string;
    readonly loadMore: string;
    readonly create: string;
    readonly owned: string;
    readonly received: string;
    readonly numbers: (po: readonly string[], heat: readonly string[], cert: readonly string[]) => string;
  };
  readonly detail: {
    readonly loading: string;
    readonly poNumbers: string;
    readonly heatNumbers: string;
    readonly certNumbers: string;
    readonly product: string;
    readonly standard: string;
    readonly owner: string;
    readonly revision: string;
    readonly updated: string;
    readonly documentsHeading: string;
    readonly documentsLoading: string;
    readonly noDocuments: string;
    readonly open: string;
    readonly openNamed: (fileName: string, version: number) => string;
    readonly attach: string;
    readonly attachNamed: (fileName: string) => string;
    readonly attached: (fileName: string) => string;
    readonly downloadFailed: string;
    readonly versionLabel: (version: number, date: string) => string;
    readonly activityHeading: string;
    readonly activityLoading: string;
    readonly noActivity: string;
    readonly activityTypes: Readonly<Record<AuditEventType, string>>;
    readonly activityLine: (what: string, who: string | null, date: string) => string;
    readonly share: string;
    readonly shareNamed: (title: string) => string;
    readonly copy: string;
    readonly copyHint: string;
    readonly insertCert: string;
    readonly insertNamed: (title: string) => string;
    readonly inserted: string;
  };
  readonly share: {
    readonly heading: (title: string) => string;
    readonly senderHeading: string;
    readonly recipientHeading: string;
    readonly withSender: (name: string) => string;
    readonly senderNotOnNetwork: (name: string) => string;
    readonly sharedWith: (name: string) => string;
    readonly searchHeading: string;
    readonly searchLabel: string;
    readonly searchPlaceholder: string;
    readonly searchHint: string;
    readonly searching: string;
    readonly noResults: string;
    readonly shareTo: (name: string) => string;
    readonly userLine: (name: string, org: string) => string;
    readonly locationLine: (name: string, org: string) => string;
    readonly publicLinkHeading: string;
    readonly publicLinkToggle: string;
    readonly publicLinkOffHint: string;
    readonly publicLinkUrl: string;
    readonly copyLink: string;
    readonly linkCopied: string;
    readonly copyFailed: string;
    readonly qrAlt: (title: string) => string;
    readonly qrLoading: string;
    readonly insertHeading: string;
    readonly insertReply: string;
    readonly insertCompose: string;
    readonly insertNoItem: string;
    readonly noLinkHint: string;
    readonly cannotShare: string;
  };
  /** The Certs tab opened to put a cert into the email (start view "insert-cert"). */
  readonly insert: {
    readonly heading: string;
    readonly hint: string;
    readonly noItem: string;
    readonly insertLink: string;
    readonly insertLinkNamed: (title: string) => string;
    readonly attachDocuments: string;
    readonly attachDocumentsNamed: (title: string) => string;
    readonly attaching: (done: number, total: number) => string;
    readonly attachedDocuments: (count: number) => string;
    readonly noDocuments: string;
  };
  /** Views other features plug into the pane (`extraViews` of `App`). */
  readonly extraViews: {
    readonly titles: Readonly<Record<PaneExtraViewName, string>>;
    readonly unavailable: (title: string) => string;
    readonly entryHeading: string;
  };
  /** Text of the HTML put into emails (in the user's language; the recipient reads it). */
  readonly certHtml: {
    readonly intro: string;
    readonly po: string;
    readonly heat: string;
    readonly cert: string;
    readonly linkLabel: string;
  };
  readonly oneClick: {
    readonly sharedWithUser: (title: string, name: string) => string;
    readonly sharedByLink: (title: string) => string;
    readonly needsPane: Readonly<Record<"no-read-item" | "no-references" | "no-match" | "ambiguous", string>>;
  };
  readonly errors: {
    readonly retry: string;
    readonly signInAgain: string;
    readonly network: string;
    readonly invalidResponse: string;
    readonly sessionExpired: string;
    readonly signInFailed: string;
    readonly unexpected: string;
    readonly viewLoadFailed: string;
  };
}

export const catalogs: Readonly<Record<Locale, Strings>> = { en, sv };

/** The supported locale for a BCP 47 tag (`sv-SE` → `sv`), falling back to English. */
export function resolveLocale(languageTag: string | undefined): Locale {
  const language = languageTag?.toLowerCase().split("-")[0];
  return locales.find((l) => l === language) ?? defaultLocale;
}

