import type { FastifyBaseLogger } from "fastify";
import { findPrivateLinks, findPublicLinks } from "../../shared/protocol/smartcert-links";
import { ProblemError } from "../http/problem";
import type { Principal } from "../orgs/model";
import { CursorExpiredError, type MailboxConnector, type MailMessage, type SyncPosition } from "./connectors/connector";
import { ConsentRevokedError, refreshAccessToken, type OAuthClient } from "./oauth";
import { DEFAULT_RETRY, withRetry, type RetryOptions } from "./retry";
import type { SyncKey } from "./sync-key";
import type { ConnectionRecord, SyncRepository } from "./sync-repository";

/**
 * Incremental sync of one mailbox. Per page: skip messages whose (id, modified) pair is already
 * stored; look for SmartCert links in the rest (in memory only); accept public links for the
 * mailbox's user and link the conversation to the cert; store the pairs; then store the page
 * position. A crash between those steps refetches the page and the stored pairs make the second
 * pass a no-op, so paging errors never lose or duplicate work. Logs carry counts, ids and error
 * names — never tokens or message content.
 */
export interface SyncActions {
  /** Becomes a receiver through a public link (ShareService.acceptPublicLink); returns the cert id. */
  acceptPublicLink(user: Principal, token: string): Promise<string>;
  /** Whether the user can view the cert (a private link grants nothing by itself). */
  canView(user: Principal, certId: string): Promise<boolean>;
  /** Links the conversation to the cert as an HMAC under the user's organization key. */
  linkConversation(user: Principal, conversationRef: string, certId: string): Promise<void>;
}

export interface SyncEngineDeps {
  repo: SyncRepository;
  key: SyncKey;
  connectors: Partial<Record<ConnectionRecord["provider"], MailboxConnector>>;
  oauth: Partial<Record<ConnectionRecord["provider"], OAuthClient>>;
  loadUser: (orgId: string, userId: string) => Promise<Principal | undefined>;
  actions: SyncActions;
  publicLinkOrigins: string[];
  log: FastifyBaseLogger;
  retry?: RetryOptions;
}

export interface SyncOutcome {
  status: "done" | "needs-user" | "failed" | "skipped";
  pages: number;
  messages: number;
  linked: number;
  failed: number;
}

export class SyncEngine {
  constructor(private readonly deps: SyncEngineDeps) {}

  async syncConnection(connectionId: string): Promise<SyncOutcome> {
    const outcome: SyncOutcome = { status: "done", pages: 0, messages: 0, linked: 0, failed: 0 };
    const { repo } = this.deps;
    const connection = await repo.get(connectionId);
    const connector = connection ? this.deps.connectors[connection.provider] : undefined;
    const oauth = connection ? this.deps.oauth[connection.provider] : undefined;
    if (!connection || connection.status !== "active" || !connector || !oauth) return { ...outcome, status: "skipped" };
    const log = this.deps.log.child({ connectionId, provider: connection.provider });
    try {
      const user = await this.deps.loadUser(connection.orgId, connection.userId);
      if (!user) throw new ConsentRevokedError();
      const accessToken = await this.accessToken(connection, oauth);
      let position: SyncPosition = { cursor: connection.cursor, pageCursor: connection.pageCursor };
      let restarted = false;
      for (;;) {
        let page;
        try {
          page = await withRetry(() => connector.fetchPage(accessToken, position), this.retry);
        } catch (error) {
          if (!(error instanceof CursorExpiredError) || restarted) throw error;
          // Full resync: stored pairs make every already-handled message a no-op.
          log.info("sync cursor expired; full resync");
          restarted = true;
          position = { cursor: null, pageCursor: null };
          await repo.savePosition(connection.id, { cursor: null, pageCursor: null });
          continue;
        }
        outcome.pages++;
        const result = await this.processMessages(connection, user, page.messages);
        outcome.messages += result.processed;
        outcome.linked += result.linked;
        outcome.failed += result.failed;
        await repo.forgetMessages(connection.id, page.removedIds);
        if ("pageCursor" in page.next) {
          position = { cursor: position.cursor, pageCursor: page.next.pageCursor };
          await repo.savePosition(connection.id, { pageCursor: page.next.pageCursor });
        } else {
          await repo.savePosition(connection.id, { cursor: page.next.cursor, pageCursor: null });
          break;
        }
      }
      await repo.finishSync(connection.id, null);
      await repo.purgeExpiredFailures();
      log.info({ pages: outcome.pages, messages: outcome.messages, linked: outcome.linked, failed: outcome.failed }, "mailbox synced");
      return outcome;
    } catch (error) {
      const name = errorName(error);
      if (error instanceof ConsentRevokedError) {
        await repo.markNeedsUser(connection.id, name);
        log.warn({ error: name }, "mailbox consent revoked or expired; the connection needs the user");
        return { ...outcome, status: "needs-user" };
      }
      // The position saved so far stays: the next run resumes at the last finished page.
      await repo.finishSync(connection.id, name);
      log.warn({ error: name }, "mailbox sync failed; it resumes on the next run");
      return { ...outcome, status: "failed" };
    }
  }

  private get retry(): RetryOptions {
    return this.deps.retry ?? DEFAULT_RETRY;
  }

  private async accessToken(connection: ConnectionRecord, oauth: OAuthClient): Promise<string> {
    const refreshToken = this.deps.key.open(connection.sealedRefreshToken, connection.id);
    const tokens = await refreshAccessToken(oauth, refreshToken, this.retry);
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
      // Rotated by the provider: the old one may stop working at once.
      await this.deps.repo.replaceToken(connection.id, this.deps.key.seal(tokens.refreshToken, connection.id), this.deps.key.id);
    }
    return tokens.accessToken;
  }

  private async processMessages(connection: ConnectionRecord, user: Principal, messages: MailMessage[]): Promise<{ processed: number; linked: number; failed: number }> {
    const seen = await this.deps.repo.seen(connection.id, messages.map((m) => m.id));
    const fresh = messages.filter((m) => seen.get(m.id) !== m.modifiedAt);
    const done: { id: string; modifiedAt: string }[] = [];
    let linked = 0;
    let failed = 0;
    for (const message of fresh) {
      try {
        linked += await this.handle(user, message);
        done.push({ id: message.id, modifiedAt: message.modifiedAt });
      } catch (error) {
        failed++;
        await this.deps.repo.recordFailure(connection.id, message.id, errorName(error));
      }
    }
    await this.deps.repo.recordMessages(connection.id, done);
    await this.deps.repo.clearFailure(connection.id, done.map((d) => d.id));
    return { processed: fresh.length, linked, failed };
  }

  /** The links of one message; the text is dropped when this returns. */
  private async handle(user: Principal, message: MailMessage): Promise<number> {
    const { actions, publicLinkOrigins } = this.deps;
    const certIds = new Set<string>();
    for (const link of findPublicLinks(message.text, publicLinkOrigins)) certIds.add(await actions.acceptPublicLink(user, link.token));
    for (const link of findPrivateLinks(message.text, publicLinkOrigins)) if (await actions.canView(user, link.certId)) certIds.add(link.certId);
    if (message.conversationId) for (const certId of certIds) await actions.linkConversation(user, message.conversationId, certId);
    return certIds.size;
  }
}

/** A class-like name for the error list: never a message, which could quote content. */
export function errorName(error: unknown): string {
  if (error instanceof ProblemError) return error.status === 404 ? "LinkNotFound" : `Problem${error.status}`;
  if (error instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,60}$/.test(error.name)) return error.name;
  return "Error";
}
