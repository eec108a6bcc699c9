import type { Generated } from "kysely";

/**
 * Table shapes as Kysely sees them. These row types stay inside repositories: services and routes
 * work with the domain types the repositories return. Booleans are stored as 0/1 integers and times
 * as ISO-8601 text in `timestamptz`-declared columns, so both dialects behave the same.
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface LocationsTable {
  id: string;
  org_id: string;
  name: string;
  city: string | null;
  country: string | null;
  created_at: string;
}

/** The network profile: what other organizations may learn about a user. No personal data here. */
export interface UsersTable {
  id: string;
  org_id: string;
  display_name: string;
  is_admin: number;
  is_writer: number;
  created_at: string;
}

/** Personal data, kept apart from the network profile (DESIGN §2). */
export interface UserPersonalTable {
  user_id: string;
  email: string;
  /** Lower-cased email, unique: invitation binding and exact lookups match on it. */
  email_normalized: string;
}

export interface UserLocationsTable {
  user_id: string;
  location_id: string;
}

/** (issuer, subject) → user. A user without a row here is an invitation still pending. */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  bound_at: string;
}

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  locations: LocationsTable;
  users: UsersTable;
  user_personal: UserPersonalTable;
  user_locations: UserLocationsTable;
  user_identities: UserIdentitiesTable;
}

// Kysely's Generated is re-exported so later tables with database defaults can use it.
export type { Generated };
