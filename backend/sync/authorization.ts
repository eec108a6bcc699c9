import { createHash, randomBytes } from "node:crypto";
import type { MailboxProvider } from "../../shared/protocol/sync";
import type { Database } from "../db/database";
import { problems } from "../http/problem";
import type { Principal } from "../orgs/model";
import type { AuthorizingClient } from "./oauth";

/**
 * The first half of connecting a mailbox, as a confidential OAuth client does it (RFC 6749 §4.1
 * with PKCE, RFC 7636): the backend makes `state` and the PKCE verifier, keeps them, and hands the
 * pane only the provider's authorization URL. The second half (`take`) is the callback's.
 *
 * Why stored rather than an HMAC-signed state: the callback must be single use, and the verifier
 * must stay on the server. A signed state still needs a memory of used states, which per process
 * breaks as soon as the callback reaches another instance than the one that started the flow (a
 * browser redirect is not sticky to the pane's connection). One row per authorization, deleted by
 * the callback in one statement, is single use on every instance and survives a restart; the row
 * holds a SHA-256 of the state, so the table gives no usable state away.
 */
export const AUTHORIZATION_TTL_MS = 10 * 60 * 1000;
/** Open authorizations kept per user; starting another one drops the oldest. */
const MAX_OPEN_PER_USER = 5;

/** Provider-specific authorization parameters (from Microsoft's and Google's OAuth 2.0 docs). */
const EXTRA_PARAMETERS: Record<MailboxProvider, Record<string, string>> = {
  // The code comes back in the query string (the v2.0 endpoint's default for `code`, said explicitly).
  graph: { response_mode: "query" },
  // Google issues a refresh token only with access_type=offline, and on a repeated consent only
  // when the consent screen is shown again (prompt=consent).
  gmail: { access_type: "offline", prompt: "consent" },
};

export interface PendingAuthorization {
  userId: string;
  orgId: string;
  provider: MailboxProvider;
  codeVerifier: string;
}

export class MailboxAuthorizations {
  constructor(
    private readonly deps: { db: Database; now: () => Date; clients: Partial<Record<MailboxProvider, AuthorizingClient>>; redirectUri: string },
  ) {}

  get redirectUri(): string {
    return this.deps.redirectUri;
  }

  /** A fresh authorization request for `user` at `provider`: the URL to open and when it stops working. */
  async begin(user: Principal, provider: MailboxProvider): Promise<{ authorizeUrl: string; expiresAt: string }> {
    const client = this.deps.clients[provider];
    if (!client) throw problems.conflict("This mailbox provider is not set up on this server", "An operator sets its OAuth client id and secret (docs/SYNC.md).");
    const now = this.deps.now();
    const state = randomBytes(32).toString("base64url");
    const codeVerifier = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + AUTHORIZATION_TTL_MS).toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("mailbox_authorizations").where("expires_at", "<=", now.toISOString()).execute();
      const open = await trx.selectFrom("mailbox_authorizations").select("state_hash").where("user_id", "=", user.id).orderBy("created_at", "desc").execute();
      const dropped = open.slice(MAX_OPEN_PER_USER - 1).map((r) => r.state_hash);
      if (dropped.length > 0) await trx.deleteFrom("mailbox_authorizations").where("state_hash", "in", dropped).execute();
      await trx
        .insertInto("mailbox_authorizations")
        .values({ state_hash: hashState(state), user_id: user.id, org_id: user.orgId, provider, code_verifier: codeVerifier, created_at: now.toISOString(), expires_at: expiresAt })
        .execute();
    });
    const url = new URL(client.authorizeUrl);
    const parameters = {
      client_id: client.clientId,
      response_type: "code",
      redirect_uri: this.deps.redirectUri,
      scope: client.scopes.join(" "),
      state,
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
      ...EXTRA_PARAMETERS[provider],
    };
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    return { authorizeUrl: url.toString(), expiresAt };
  }

  /**
   * Consumes the authorization `state` belongs to. Undefined when it is unknown, already used or
   * expired; either way it cannot be used again. The delete is the check, so two callbacks racing
   * with the same state cannot both get it.
   */
  async take(state: string): Promise<PendingAuthorization | undefined> {
    const row = await this.deps.db.deleteFrom("mailbox_authorizations").where("state_hash", "=", hashState(state)).returningAll().executeTakeFirst();
    if (!row || new Date(row.expires_at).getTime() <= this.deps.now().getTime()) return undefined;
    return { userId: row.user_id, orgId: row.org_id, provider: row.provider, codeVerifier: row.code_verifier };
  }
}

function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("base64url");
}
