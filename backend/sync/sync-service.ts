import { randomUUID } from "node:crypto";
import type { ConnectMailboxBody, MailboxConnection } from "../../shared/protocol/sync";
import { canManageMailboxConnection } from "../access/policy";
import { problems } from "../http/problem";
import { normalizeEmail, type Principal } from "../orgs/model";
import type { SyncConfig } from "./config";
import type { FastifyBaseLogger } from "fastify";
import { ConsentRevokedError, exchangeCode, revokeToken, TokenEndpointError, type AuthorizingClient, type OAuthClient } from "./oauth";
import type { MailboxConnector } from "./connectors/connector";
import { withRetry, type RetryOptions } from "./retry";
import type { JobQueue } from "./scheduler";
import type { SyncKey } from "./sync-key";
import type { SyncRepository } from "./sync-repository";

/**
 * Connecting, listing and disconnecting mailboxes, and putting their syncs on the job queue. The
 * code of the provider's authorization-code flow (offline access) comes from the authorization
 * callback (authorization.ts, callback.ts) or from a client that ran the flow itself
 * (`connectMailbox`); only the refresh token is kept, sealed under the sync key and bound to the
 * connection id. Connecting a provider the user already has replaces that connection's token.
 */
export const SYNC_JOB = "sync-mailbox";
export interface SyncJob {
  connectionId: string;
}

export const SCOPES: Record<"graph" | "gmail", string[]> = {
  // User.Read: "Get user" (/me), to check the mailbox is the user's own before keeping the grant.
  graph: ["offline_access", "https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/User.Read"],
  gmail: ["https://www.googleapis.com/auth/gmail.readonly"],
};

export function oauthClients(config: SyncConfig): Partial<Record<"graph" | "gmail", AuthorizingClient>> {
  const clients: Partial<Record<"graph" | "gmail", AuthorizingClient>> = {};
  for (const provider of ["graph", "gmail"] as const) {
    const settings = config[provider];
    if (settings) clients[provider] = { authorizeUrl: settings.authorizeUrl, tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, scopes: SCOPES[provider] };
  }
  return clients;
}

export class SyncService {
  constructor(
    private readonly deps: {
      repo: SyncRepository;
      key: () => Promise<SyncKey>;
      oauth: Partial<Record<"graph" | "gmail", OAuthClient>>;
      /** For the mailbox's own address at connect time. */
      connectors: Partial<Record<"graph" | "gmail", MailboxConnector>>;
      /** The user's verified email (personal data, decrypted on demand). */
      emailOf: (user: Principal) => Promise<string | undefined>;
      /** Backoff for provider calls made while connecting (tests shorten it). */
      retry?: RetryOptions;
      queue: JobQueue<SyncJob>;
      intervalMs: number;
      /** Token revocation endpoints; Graph has none for a single refresh token (docs/SYNC.md). */
      revokeUrls?: Partial<Record<"graph" | "gmail", string>>;
      log?: FastifyBaseLogger;
    },
  ) {}

  async connect(user: Principal, body: ConnectMailboxBody): Promise<MailboxConnection> {
    const oauth = this.deps.oauth[body.provider];
    if (!oauth) throw problems.conflict("This mailbox provider is not set up on this server", "An operator sets its OAuth client id and secret (docs/SYNC.md).");
    let tokens: { accessToken: string; refreshToken: string };
    try {
      const exchanged = await exchangeCode(oauth, body.code, body.redirectUri, body.codeVerifier);
      tokens = { accessToken: exchanged.accessToken, refreshToken: exchanged.refreshToken ?? "" };
    } catch (error) {
      if (error instanceof ConsentRevokedError) throw problems.badRequest("The provider refused the authorization code", "Sign in to the mailbox again; codes are single-use and expire within minutes.");
      if (error instanceof TokenEndpointError && error.code.startsWith("no_refresh_token")) throw problems.badRequest("The provider granted no offline access", "Allow offline access when the provider asks.");
      throw error;
    }
    await this.assertOwnMailbox(user, body.provider, tokens);
    const refreshToken = tokens.refreshToken;
    const key = await this.deps.key();
    const existing = (await this.deps.repo.listForUser(user.id)).find((c) => c.provider === body.provider);
    const id = existing?.id ?? randomUUID();
    const sealed = key.seal(refreshToken, id);
    if (existing) await this.deps.repo.replaceToken(id, sealed, key.id);
    else await this.deps.repo.upsertConnection({ id, userId: user.id, provider: body.provider, sealedRefreshToken: sealed, syncKeyId: key.id });
    await this.schedule(id);
    return this.describe(user, id);
  }

  /**
   * The mailbox must be the user's own: its address (or, for Microsoft 365, its sign-in name) is
   * the user's verified email. Without this check the callback, which has no session of its own,
   * would connect whichever mailbox consented to whoever started the authorization — someone
   * could start one and get a colleague to click through consent (login CSRF). A refused grant is
   * revoked where the provider can, and nothing is stored. Addresses are never logged.
   */
  private async assertOwnMailbox(user: Principal, provider: "graph" | "gmail", tokens: { accessToken: string; refreshToken: string }): Promise<void> {
    const connector = this.deps.connectors[provider];
    if (!connector) throw problems.conflict("This mailbox provider is not set up on this server", "An operator sets its OAuth client id and secret (docs/SYNC.md).");
    // Retried like a sync call: a provider that rate-limits the profile read (429, Gmail's 403
    // userRateLimitExceeded) is waited out, Retry-After honoured.
    const [addresses, email] = await Promise.all([withRetry(() => connector.mailboxAddresses(tokens.accessToken), this.deps.retry), this.deps.emailOf(user)]);
    // Compared the way the directory compares emails (normalizeEmail), on both sides.
    const own = email === undefined ? undefined : normalizeEmail(email);
    if (own !== undefined && addresses.some((address) => normalizeEmail(address) === own)) return;
    const url = this.deps.revokeUrls?.[provider];
    if (url !== undefined) await revokeToken(url, tokens.refreshToken).catch(() => undefined);
    throw problems.forbidden(
      `This mailbox is not your own: the mailbox you allowed is ${addresses[0] ?? "an account without an address"}, but you are signed in to SmartCert as ${own ?? "an account without an email"}. Sign in to the provider with your own address and connect again.`,
    );
  }

  async list(user: Principal): Promise<MailboxConnection[]> {
    const connections = await this.deps.repo.listForUser(user.id);
    return Promise.all(connections.map((c) => this.describe(user, c.id)));
  }

  async disconnect(user: Principal, connectionId: string): Promise<void> {
    const connection = await this.owned(user, connectionId);
    await this.deps.queue.cancel(jobId(connectionId));
    // Deleting the connection deletes its pairs and failures (foreign keys cascade).
    await this.deps.repo.delete(connectionId);
    await this.revoke(connection);
  }

  /**
   * Best effort, after the delete: the user asked us to forget the mailbox, and we have. Revoking
   * also ends the provider's grant; if the provider cannot be reached the grant stays listed in the
   * user's account settings (where they can remove it), which is logged by error name only.
   */
  private async revoke(connection: { id: string; provider: "graph" | "gmail"; sealedRefreshToken: string }): Promise<void> {
    const url = this.deps.revokeUrls?.[connection.provider];
    if (url === undefined) return;
    try {
      await revokeToken(url, (await this.deps.key()).open(connection.sealedRefreshToken, connection.id));
    } catch (error) {
      this.deps.log?.warn({ provider: connection.provider, error: error instanceof Error ? error.name : "unknown" }, "revoking the mailbox grant failed");
    }
  }

  async syncNow(user: Principal, connectionId: string): Promise<void> {
    await this.owned(user, connectionId);
    await this.deps.queue.add(SYNC_JOB, { connectionId }, { jobId: jobId(connectionId) });
  }

  /** On start-up: every active connection gets its periodic sync again. */
  async scheduleAll(): Promise<void> {
    for (const c of await this.deps.repo.listActive()) await this.schedule(c.id);
  }

  private async schedule(connectionId: string): Promise<void> {
    await this.deps.queue.add(SYNC_JOB, { connectionId }, { jobId: jobId(connectionId) });
    await this.deps.queue.every(SYNC_JOB, { connectionId }, this.deps.intervalMs, jobId(connectionId));
  }

  private async owned(user: Principal, connectionId: string) {
    const connection = await this.deps.repo.get(connectionId);
    // Someone else's connection is "not found", like an unknown id.
    if (!connection || !canManageMailboxConnection(user, connection)) throw problems.notFound("The mailbox connection");
    return connection;
  }

  private async describe(user: Principal, connectionId: string): Promise<MailboxConnection> {
    const c = await this.owned(user, connectionId);
    return { id: c.id, provider: c.provider, status: c.status, lastSyncAt: c.lastSyncAt, lastError: c.lastError, failures: await this.deps.repo.failures(c.id) };
  }
}

function jobId(connectionId: string): string {
  return `sync:${connectionId}`;
}
