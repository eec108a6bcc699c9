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
  /** The email, encrypted under the organization's data key (see backend/keys). */
  email_ciphertext: string;
  /** Keyed hash of the lower-cased email, unique: invitation binding and exact lookups use it. */
  email_index: string;
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

export interface OrgKeysTable {
  org_id: string;
  wrapped_key: string;
  kek_id: string;
  created_at: string;
}

/** Keys of no organization, wrapped by the KEK (migration 0008); `name` is e.g. "hmac-root". */
export interface GlobalKeysTable {
  name: string;
  wrapped_key: string;
  kek_id: string;
  created_at: string;
}

/** Nonces of redeemed change-stream tickets, until the ticket's expiry (migration 0009). */
export interface UsedStreamTicketsTable {
  nonce: string;
  expires_at: string;
}

export interface CertsTable {
  id: string;
  owner_org_id: string;
  title: string;
  /** JSON arrays of strings. */
  po_numbers: string;
  heat_numbers: string;
  cert_numbers: string;
  product: string | null;
  standard: string | null;
  /** JSON object string → string. */
  metadata: string;
  search_text: string;
  sales_location_id: string | null;
  copied_from: string | null;
  created_by: string;
  public_link_enabled: Generated<number>;
  public_link_generation: Generated<number>;
  public_link_lookup: string | null;
  revision: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface CertOwnerLocationsTable {
  cert_id: string;
  location_id: string;
}

export interface CertSharesTable {
  id: string;
  cert_id: string;
  target_user_id: string | null;
  target_location_id: string | null;
  via: "user" | "location" | "public-link";
  shared_by: string | null;
  created_at: string;
}

export interface DocumentsTable {
  id: string;
  cert_id: string;
  org_id: string;
  latest_version: number;
  created_at: string;
}

export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  file_name: string;
  content_type: string;
  /** bigint: PostgreSQL returns it as a string; repositories convert. */
  size: number | string;
  sha256: string;
  created_by: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  cert_id: string;
  actor_user_id: string | null;
  type: string;
  /** JSON object. */
  detail: string;
  created_at: string;
  seq: number;
}

export interface ConversationSharesTable {
  org_id: string;
  conversation_hmac: string;
  cert_id: string;
  created_at: string;
}

/** The change feed (migrations 0004, 0007), written by triggers; `seq` is bigint on PostgreSQL (a string). */
export interface CertChangesTable {
  seq: Generated<number | string>;
  cert_id: string;
  kind: "created" | "updated" | "shared" | "received" | "joined";
  target_user_id: string | null;
  target_location_id: string | null;
  changed_at: string;
}

/** A connected mailbox (docs/SYNC.md): the refresh token is sealed under the sync key, not the DB's. */
export interface MailboxConnectionsTable {
  id: string;
  user_id: string;
  provider: "graph" | "gmail";
  status: "active" | "needs-user";
  refresh_token: string;
  sync_key_id: string;
  cursor: string | null;
  page_cursor: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface SyncMessagesTable {
  connection_id: string;
  message_id: string;
  modified_at: string;
}

/** A provider authorization in progress (migration 0005): the state's hash, never the state. */
export interface MailboxAuthorizationsTable {
  state_hash: string;
  user_id: string;
  org_id: string;
  provider: "graph" | "gmail";
  code_verifier: string;
  created_at: string;
  expires_at: string;
}

export interface SyncFailuresTable {
  connection_id: string;
  record_id: string;
  error_name: string;
  failed_at: string;
  expires_at: string;
}

/** End-to-end encrypted messages (migration 0003): policy and bookkeeping, never the key. */
export interface MessagesTable {
  id: string;
  org_id: string;
  sender_id: string;
  part_count: number;
  passphrase_kdf: string | null;
  sign_in_required: number;
  max_opens: number | null;
  open_count: number;
  created_at: string;
  expires_at: string;
  completed_at: string | null;
  revoked_at: string | null;
  last_opened_at: string | null;
  ciphertext_deleted_at: string | null;
  /** Secure replies (migration 0006): the message answered, the open that allowed it, replies made to this one. */
  in_reply_to: string | null;
  reply_open_id: string | null;
  reply_count: Generated<number>;
}

export interface MessagePartsTable {
  message_id: string;
  part_index: number;
  size: number;
}

export interface MessageRecipientsTable {
  message_id: string;
  email_index: string;
  email_ciphertext: string;
}

export interface MessageOpensTable {
  id: string;
  message_id: string;
  opened_at: string;
  issuer: string | null;
  subject: string | null;
  recipient_index: string | null;
  /** Replies made with this open's reply capability (migration 0006). */
  reply_count: Generated<number>;
}

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  locations: LocationsTable;
  users: UsersTable;
  user_personal: UserPersonalTable;
  user_locations: UserLocationsTable;
  user_identities: UserIdentitiesTable;
  org_keys: OrgKeysTable;
  global_keys: GlobalKeysTable;
  used_stream_tickets: UsedStreamTicketsTable;
  certs: CertsTable;
  cert_owner_locations: CertOwnerLocationsTable;
  cert_shares: CertSharesTable;
  documents: DocumentsTable;
  document_versions: DocumentVersionsTable;
  audit_events: AuditEventsTable;
  conversation_shares: ConversationSharesTable;
  messages: MessagesTable;
  message_parts: MessagePartsTable;
  message_recipients: MessageRecipientsTable;
  message_opens: MessageOpensTable;
  cert_changes: CertChangesTable;
  mailbox_connections: MailboxConnectionsTable;
  sync_messages: SyncMessagesTable;
  sync_failures: SyncFailuresTable;
  mailbox_authorizations: MailboxAuthorizationsTable;
}

// Kysely's Generated is re-exported so later tables with database defaults can use it.
export type { Generated };
