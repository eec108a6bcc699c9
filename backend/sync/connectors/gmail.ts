import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { statusOf } from "../retry";
import { CursorExpiredError, RateLimitedError, type MailboxConnector, type MailMessage, type SyncPage, type SyncPosition } from "./connector";

/**
 * Gmail through Google's client: a full sync lists `users.messages.list` page by page after noting
 * the mailbox's current historyId (`users.getProfile`), so changes made while listing are picked up
 * by the next incremental sync; incremental syncs walk `users.history.list` from that historyId
 * (messageAdded). 404 on startHistoryId means history expired: the engine does a full resync.
 * Each new message is read with `users.messages.get` (format=full) for its subject and text parts.
 * History ids are uint64 strings and are only stored and sent back, never compared or computed.
 * Gmail's 403 rate limits are passed on as RateLimitedError (429) so the engine backs off.
 */
type PageState = { mode: "full"; historyId: string; pageToken: string | null } | { mode: "history"; startHistoryId: string; pageToken: string | null };

export class GmailConnector implements MailboxConnector {
  constructor(private readonly options: { baseUrl: string; pageSize: number; concurrency: number }) {}

  /** `users.getProfile`: the mailbox's own address. */
  async mailboxAddresses(accessToken: string): Promise<string[]> {
    const client = gmail({ version: "v1", rootUrl: `${this.options.baseUrl.replace(/\/+$/, "")}/` });
    const profile = await api(() => client.users.getProfile({ userId: "me" }, { headers: { authorization: `Bearer ${accessToken}` }, retry: false }));
    const address = profile.data.emailAddress;
    return typeof address === "string" && address.length > 0 ? [address] : [];
  }

  async fetchPage(accessToken: string, position: SyncPosition): Promise<SyncPage> {
    const client = gmail({ version: "v1", rootUrl: `${this.options.baseUrl.replace(/\/+$/, "")}/` });
    // The engine retries with Retry-After; gaxios' own retries would hide 429s from it.
    const call = { headers: { authorization: `Bearer ${accessToken}` }, retry: false };
    const state: PageState = position.pageCursor
      ? (JSON.parse(position.pageCursor) as PageState)
      : position.cursor
        ? { mode: "history", startHistoryId: position.cursor, pageToken: null }
        : { mode: "full", historyId: (await api(() => client.users.getProfile({ userId: "me" }, call))).data.historyId ?? "", pageToken: null };

    let ids: string[];
    let nextToken: string | null | undefined;
    let latestHistoryId: string;
    if (state.mode === "full") {
      const list = await api(() => client.users.messages.list({ userId: "me", maxResults: this.options.pageSize, ...(state.pageToken ? { pageToken: state.pageToken } : {}) }, call));
      ids = (list.data.messages ?? []).flatMap((m) => (m.id ? [m.id] : []));
      nextToken = list.data.nextPageToken;
      latestHistoryId = state.historyId;
    } else {
      let history;
      try {
        history = await api(() => client.users.history.list({ userId: "me", startHistoryId: state.startHistoryId, historyTypes: ["messageAdded"], maxResults: this.options.pageSize, ...(state.pageToken ? { pageToken: state.pageToken } : {}) }, call));
      } catch (error) {
        if (statusOf(error) === 404) throw new CursorExpiredError();
        throw error;
      }
      ids = [...new Set((history.data.history ?? []).flatMap((h) => (h.messagesAdded ?? []).flatMap((a) => (a.message?.id ? [a.message.id] : []))))];
      nextToken = history.data.nextPageToken;
      latestHistoryId = history.data.historyId ?? state.startHistoryId;
    }

    const { messages, removedIds } = await this.read(client, call, ids);
    const next: SyncPage["next"] = nextToken
      ? { pageCursor: JSON.stringify(state.mode === "full" ? { ...state, pageToken: nextToken } : { ...state, pageToken: nextToken }) }
      : { cursor: latestHistoryId };
    return { messages, removedIds, next };
  }

  /** messages.get for each id, a few at a time; a message deleted meanwhile (404) is "removed". */
  private async read(client: gmail_v1.Gmail, call: object, ids: string[]): Promise<{ messages: MailMessage[]; removedIds: string[] }> {
    const messages: MailMessage[] = [];
    const removedIds: string[] = [];
    for (let i = 0; i < ids.length; i += this.options.concurrency) {
      const batch = await Promise.all(ids.slice(i, i + this.options.concurrency).map(async (id) => {
        try {
          return (await api(() => client.users.messages.get({ userId: "me", id, format: "full" }, call))).data;
        } catch (error) {
          if (statusOf(error) === 404) return id;
          throw error;
        }
      }));
      for (const m of batch) {
        if (typeof m === "string") removedIds.push(m);
        else if (m.id) messages.push({ id: m.id, modifiedAt: m.historyId ?? "", conversationId: m.threadId ?? null, text: textOf(m.payload) });
      }
    }
    return { messages, removedIds };
  }
}

/** Runs one API call, turning Gmail's 403 rate-limit answers into RateLimitedError. */
async function api<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const response = (error as { response?: { headers?: unknown; data?: { error?: { errors?: { reason?: unknown }[] } } } }).response;
    const reasons = response?.data?.error?.errors?.map((e) => e.reason) ?? [];
    if (statusOf(error) === 403 && reasons.some((r) => r === "userRateLimitExceeded" || r === "rateLimitExceeded")) throw new RateLimitedError(response?.headers);
    throw error;
  }
}

/** Subject and every text part, decoded (base64url per the API); attachments are not read. */
function textOf(part: gmail_v1.Schema$MessagePart | undefined): string {
  if (!part) return "";
  const subject = (part.headers ?? []).find((h) => h.name?.toLowerCase() === "subject")?.value ?? "";
  const texts: string[] = [subject];
  const walk = (p: gmail_v1.Schema$MessagePart) => {
    if (p.mimeType?.startsWith("text/") && !p.filename && p.body?.data) texts.push(Buffer.from(p.body.data, "base64url").toString("utf8"));
    for (const child of p.parts ?? []) walk(child);
  };
  walk(part);
  return texts.join("\n");
}
