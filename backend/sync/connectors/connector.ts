/**
 * What the sync engine needs from a mailbox provider. `text` (subject and body) lives only in
 * memory for the moment the engine looks for SmartCert links in it; nothing of it is stored.
 */
export interface MailMessage {
  id: string;
  /** Provider's change marker (Graph lastModifiedDateTime, Gmail historyId). */
  modifiedAt: string;
  conversationId: string | null;
  text: string;
}

export interface SyncPosition {
  /** The resumable point after a finished sync (Graph deltaLink, Gmail historyId); null → full sync. */
  cursor: string | null;
  /** A page walk in progress (Graph nextLink, Gmail page state), persisted after each page. */
  pageCursor: string | null;
}

export interface SyncPage {
  messages: MailMessage[];
  removedIds: string[];
  /** Either more pages follow (`pageCursor`) or the walk is done (`cursor`). */
  next: { pageCursor: string } | { cursor: string };
}

export interface MailboxConnector {
  fetchPage(accessToken: string, position: SyncPosition): Promise<SyncPage>;
  /** The addresses the mailbox answers to, as the provider gives them, to check that it is the user's own. */
  mailboxAddresses(accessToken: string): Promise<string[]>;
}

/** The provider forgot our cursor (Graph 410 syncStateNotFound, Gmail 404 on startHistoryId). */
export class CursorExpiredError extends Error {
  constructor() {
    super("the provider's sync cursor expired; a full resync follows");
    this.name = "CursorExpired";
  }
}

/**
 * A rate limit the provider reports other than as 429 — Gmail answers 403 with reason
 * `userRateLimitExceeded` or `rateLimitExceeded` as well as 429 ("Resolve errors" guide). It carries
 * status 429 so the engine's retry backs off as for any 429, and the response headers so a
 * Retry-After, if one is sent, is honoured. The original error is not kept: its request config
 * holds the access token.
 */
export class RateLimitedError extends Error {
  readonly status = 429;
  constructor(readonly headers: unknown) {
    super("the provider rate-limited the request");
    this.name = "RateLimited";
  }
}
