import type { Role, User } from "../../protocol/organizations";
import { useFeatureLocale, type FeatureLocale } from "./locale";

/** Every user-visible string of the settings view, in English and Swedish. */
export interface SettingsStrings {
  readonly loading: string;
  readonly roleNames: Readonly<Record<Role, string>>;
  readonly account: {
    readonly heading: string;
    readonly organization: string;
    readonly roles: string;
    readonly readOnly: string;
    readonly signOut: string;
    readonly signingOut: string;
  };
  readonly locations: {
    readonly heading: string;
    readonly loading: string;
    readonly empty: string;
    readonly add: string;
    readonly adding: string;
    readonly name: string;
    readonly city: string;
    readonly country: string;
    readonly nameRequired: string;
    readonly added: (name: string) => string;
  };
  readonly users: {
    readonly heading: string;
    readonly loading: string;
    readonly empty: string;
    readonly status: Readonly<Record<User["status"], string>>;
    readonly roleFor: (role: string, user: string) => string;
    readonly locationsLegend: string;
    readonly locationsFor: (user: string) => string;
    readonly lastLocation: string;
    readonly saving: string;
  };
  readonly invite: {
    readonly heading: string;
    readonly email: string;
    readonly displayName: string;
    readonly optional: string;
    readonly roles: string;
    readonly locations: string;
    readonly submit: string;
    readonly sending: string;
    readonly emailRequired: string;
    readonly locationRequired: string;
    readonly noLocations: string;
    readonly invited: (email: string) => string;
  };
}

const en: SettingsStrings = {
  loading: "Loading…",
  roleNames: { admin: "Admin", writer: "Writer" },
  account: {
    heading: "Your account",
    organization: "Organization",
    roles: "Roles",
    readOnly: "Reader (read only)",
    signOut: "Sign out",
    signingOut: "Signing out…",
  },
  locations: {
    heading: "Locations",
    loading: "Loading locations…",
    empty: "Your organization has no locations yet. Add the first one below.",
    add: "Add location",
    adding: "Adding…",
    name: "Name",
    city: "City",
    country: "Country",
    nameRequired: "Give the location a name.",
    added: (name) => `${name} was added.`,
  },
  users: {
    heading: "Users",
    loading: "Loading users…",
    empty: "No users yet. Invite someone below.",
    status: { invited: "Invited", active: "Active" },
    roleFor: (role, user) => `${role}: ${user}`,
    locationsLegend: "Locations",
    locationsFor: (user) => `Locations of ${user}`,
    lastLocation: "A user needs at least one location.",
    saving: "Saving…",
  },
  invite: {
    heading: "Invite a user",
    email: "Email address",
    displayName: "Name",
    optional: "Optional",
    roles: "Privileges",
    locations: "Locations",
    submit: "Invite",
    sending: "Inviting…",
    emailRequired: "Enter an email address.",
    locationRequired: "Choose at least one location.",
    noLocations: "Add a location before inviting users.",
    invited: (email) => `${email} was invited.`,
  },
};

const sv: SettingsStrings = {
  loading: "Laddar…",
  roleNames: { admin: "Administratör", writer: "Skribent" },
  account: {
    heading: "Ditt konto",
    organization: "Organisation",
    roles: "Roller",
    readOnly: "Läsare (endast läsning)",
    signOut: "Logga ut",
    signingOut: "Loggar ut…",
  },
  locations: {
    heading: "Orter",
    loading: "Laddar orter…",
    empty: "Din organisation har inga orter än. Lägg till den första nedan.",
    add: "Lägg till ort",
    adding: "Lägger till…",
    name: "Namn",
    city: "Stad",
    country: "Land",
    nameRequired: "Ge orten ett namn.",
    added: (name) => `${name} har lagts till.`,
  },
  users: {
    heading: "Användare",
    loading: "Laddar användare…",
    empty: "Inga användare än. Bjud in någon nedan.",
    status: { invited: "Inbjuden", active: "Aktiv" },
    roleFor: (role, user) => `${role}: ${user}`,
    locationsLegend: "Orter",
    locationsFor: (user) => `Orter för ${user}`,
    lastLocation: "En användare behöver minst en ort.",
    saving: "Sparar…",
  },
  invite: {
    heading: "Bjud in en användare",
    email: "E-postadress",
    displayName: "Namn",
    optional: "Valfritt",
    roles: "Behörigheter",
    locations: "Orter",
    submit: "Bjud in",
    sending: "Bjuder in…",
    emailRequired: "Ange en e-postadress.",
    locationRequired: "Välj minst en ort.",
    noLocations: "Lägg till en ort innan du bjuder in användare.",
    invited: (email) => `${email} har bjudits in.`,
  },
};

export const settingsCatalogs: Readonly<Record<FeatureLocale, SettingsStrings>> = { en, sv };

/** The settings view's strings in the pane's language. */
export function useSettingsStrings(): SettingsStrings {
  return settingsCatalogs[useFeatureLocale()];
}
