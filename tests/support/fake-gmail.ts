import { randomBytes } from "node:crypto";
import http from "node:http";
import { FakeTokenEndpoint, close, json, listen, readForm } from "./fake-oauth";

/**
 * A local Gmail API for the sync tests. Every shape is checked against Google's reference and
 * guides; docs/SYNC-FAKES.md names the page for each and what the fake leaves out.
 * - `users.getProfile` → `{ emailAddress, messagesTotal, threadsTotal, historyId }`.
 * - `users.messages.list` → `{ messages?: [{ id, threadId }], nextPageToken?, resultSizeEstimate }`
 *   (`messages` absent when empty; maxResults defaults to 100, at most 500).
 * - `users.messages.get` with `format` full | metadata | minimal | raw: a multipart/mixed payload
 *   holding multipart/alternative (text/plain + text/html, base64url `body.data`) and attachments
 *   as `filename` + `body.attachmentId`; `historyId` and `internalDate` are strings.
 * - `users.messages.attachments.get` → `{ attachmentId, size, data }`.
 * - `users.history.list` (`startHistoryId` required, `historyTypes` honoured) →
 *   `{ history?: [{ id, messages, messagesAdded | messagesDeleted }], nextPageToken?, historyId }`;
 *   404 when startHistoryId is older than the history kept.
 * - History ids are uint64 strings: they start above 2^53 and grow with gaps, as the reference
 *   warns ("not contiguous with random gaps"), so a client that does arithmetic on them breaks here.
 * - Rate limits as the "Resolve errors" guide shows them: 429, or 403 with reason
 *   `userRateLimitExceeded` / `rateLimitExceeded` (domain usageLimits); Retry-After only when asked.
 */
export interface FakeGmailMessage {
  id: string;
  threadId: string;
  subject: string;
  body: string;
  attachments: { name: string; content: string }[];
  /** uint64 as a string of digits, as the API carries it. */
  historyId: string;
  internalDate: string;
  deleted: boolean;
}

type HistoryType = "messageAdded" | "messageDeleted";
type Throttle = { status: 429 | 403; reason: "rateLimitExceeded" | "userRateLimitExceeded"; retryAfterSeconds?: number };

const EMAIL = "buyer@example.com";
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const opaque = () => randomBytes(24).toString("base64url");

export class FakeGmail {
  readonly messages = new Map<string, FakeGmailMessage>();
  readonly tokens = new FakeTokenEndpoint("google-client", "google-secret", { scopes: ["https://www.googleapis.com/auth/gmail.readonly"], parameters: { access_type: "offline", prompt: "consent" } });
  /** Path and query of every API call, for assertions on what the connector sends. */
  readonly requests: string[] = [];
  /** The historyId each getProfile call answered, in order. */
  readonly profileHistoryIds: string[] = [];
  #historyId = 2n ** 53n + 1000n;
  #oldestHistory = 0n;
  readonly #history: { id: bigint; type: HistoryType; message: FakeGmailMessage }[] = [];
  readonly #attachmentIds = new Map<string, { messageId: string; index: number }>();
  #tooMany: Throttle & { count: number } = { count: 0, status: 429, reason: "rateLimitExceeded" };
  #server: http.Server | undefined;
  base = "";

  static async start(): Promise<FakeGmail> {
    const fake = new FakeGmail();
    fake.#server = http.createServer((req, res) => void fake.#route(req, res));
    fake.base = await listen(fake.#server);
    return fake;
  }

  get tokenUrl(): string {
    return `${this.base}/token`;
  }

  add(message: Omit<FakeGmailMessage, "id" | "historyId" | "internalDate" | "deleted">): FakeGmailMessage {
    const stored: FakeGmailMessage = { id: randomBytes(8).toString("hex"), ...message, historyId: this.#nextHistoryId(), internalDate: String(Date.now()), deleted: false };
    this.messages.set(stored.id, stored);
    this.#history.push({ id: BigInt(stored.historyId), type: "messageAdded", message: stored });
    return stored;
  }

  /** Deleted (not trashed): gone from list and get, recorded as messageDeleted in the history. */
  remove(id: string): void {
    const m = this.messages.get(id);
    if (!m || m.deleted) return;
    m.deleted = true;
    this.#history.push({ id: BigInt(this.#nextHistoryId()), type: "messageDeleted", message: m });
  }

  /** The next `count` API calls fail as rate-limited (default: 429 rateLimitExceeded, no Retry-After). */
  throttle(count: number, how: Partial<Throttle> = {}): void {
    this.#tooMany = { count, status: how.status ?? 429, reason: how.reason ?? "rateLimitExceeded", ...(how.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: how.retryAfterSeconds }) };
  }

  /** History older than now is no longer kept: an older startHistoryId answers 404. */
  expireHistory(): void {
    this.#oldestHistory = this.#historyId + 1n;
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }

  #nextHistoryId(): string {
    this.#historyId += 1n + BigInt(randomBytes(1)[0] ?? 0) % 7n;
    return String(this.#historyId);
  }

  /** The guide's error shape: `{ error: { errors: [{ domain, reason, message }], code, message } }`. */
  #error(res: http.ServerResponse, code: number, reason: string, message: string, domain = "global", headers: Record<string, string> = {}): true {
    return json(res, code, { error: { errors: [{ domain, reason, message }], code, message } }, headers);
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<true> {
    const url = new URL(req.url ?? "/", this.base);
    if (req.method === "POST" && url.pathname === "/token") return this.tokens.handle(await readForm(req), res);
    if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") return this.tokens.authorize(url, res);
    if (req.method === "POST" && url.pathname === "/revoke") return this.tokens.revoke(await readForm(req), res);
    this.requests.push(`${url.pathname}${url.search}`);
    if (this.#tooMany.count > 0) {
      this.#tooMany.count--;
      const { status, reason, retryAfterSeconds } = this.#tooMany;
      const message = reason === "userRateLimitExceeded" ? "User Rate Limit Exceeded" : "Rate Limit Exceeded";
      return this.#error(res, status, reason, message, "usageLimits", retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) });
    }
    if (!this.tokens.validAccess(req.headers.authorization)) return this.#error(res, 401, "authError", "Invalid Credentials");
    // The token's account owns the mailbox: `userId` is "me" or that address (users.getProfile).
    const account = this.tokens.accountOf(req.headers.authorization) ?? EMAIL;
    const user = /^\/gmail\/v1\/users\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (req.method !== "GET" || !user || (user[1] !== "me" && decodeURIComponent(user[1] ?? "") !== account)) return this.#notFound(res);
    const path = user[2] ?? "";
    const q = url.searchParams;
    if (path === "/profile") {
      const live = [...this.messages.values()].filter((m) => !m.deleted);
      this.profileHistoryIds.push(String(this.#historyId));
      return json(res, 200, { emailAddress: account, messagesTotal: live.length, threadsTotal: new Set(live.map((m) => m.threadId)).size, historyId: String(this.#historyId) });
    }
    if (path === "/messages") return this.#list(res, q);
    if (path === "/history") return this.#historyList(res, q);
    const attachment = /^\/messages\/([^/]+)\/attachments\/([^/]+)$/.exec(path);
    if (attachment) {
      const ref = this.#attachmentIds.get(attachment[2] ?? "");
      const m = ref && ref.messageId === attachment[1] ? this.messages.get(ref.messageId) : undefined;
      const a = m && !m.deleted ? m.attachments[ref?.index ?? -1] : undefined;
      return a ? json(res, 200, { attachmentId: attachment[2], size: Buffer.byteLength(a.content), data: b64url(a.content) }) : this.#notFound(res);
    }
    const one = /^\/messages\/([^/]+)$/.exec(path);
    if (one) return this.#get(res, one[1] ?? "", q.get("format") ?? "full");
    return this.#notFound(res);
  }

  #notFound(res: http.ServerResponse): true {
    return this.#error(res, 404, "notFound", "Requested entity was not found.");
  }

  /** maxResults defaults to 100 and may not exceed 500 (larger values are clamped here). */
  static #pageSize(q: URLSearchParams): number {
    return Math.min(500, Math.max(1, Number(q.get("maxResults") ?? 100) || 100));
  }

  static #offset(q: URLSearchParams): number {
    const token = q.get("pageToken");
    return token ? Number(Buffer.from(token, "base64url").toString("utf8")) || 0 : 0;
  }

  #list(res: http.ServerResponse, q: URLSearchParams): true {
    const all = [...this.messages.values()].filter((m) => !m.deleted).sort((a, b) => (BigInt(b.historyId) > BigInt(a.historyId) ? 1 : -1));
    const size = FakeGmail.#pageSize(q);
    const offset = FakeGmail.#offset(q);
    const page = all.slice(offset, offset + size);
    return json(res, 200, {
      ...(page.length > 0 ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
      ...(offset + size < all.length ? { nextPageToken: b64url(String(offset + size)) } : {}),
      resultSizeEstimate: all.length,
    });
  }

  #historyList(res: http.ServerResponse, q: URLSearchParams): true {
    const raw = q.get("startHistoryId") ?? "";
    if (!/^\d+$/.test(raw)) return this.#error(res, 400, "invalidArgument", "Invalid startHistoryId");
    const start = BigInt(raw);
    if (start < this.#oldestHistory) return this.#notFound(res);
    const types = q.getAll("historyTypes");
    const records = this.#history.filter((h) => h.id > start && (types.length === 0 || types.includes(h.type)));
    const size = FakeGmail.#pageSize(q);
    const offset = FakeGmail.#offset(q);
    const page = records.slice(offset, offset + size).map(({ id, type, message: m }) => {
      const ref = { id: m.id, threadId: m.threadId };
      return { id: String(id), messages: [ref], ...(type === "messageAdded" ? { messagesAdded: [{ message: { ...ref, labelIds: ["UNREAD", "INBOX"] } }] } : { messagesDeleted: [{ message: ref }] }) };
    });
    return json(res, 200, {
      ...(page.length > 0 ? { history: page } : {}),
      ...(offset + size < records.length ? { nextPageToken: b64url(String(offset + size)) } : {}),
      historyId: String(this.#historyId),
    });
  }

  #get(res: http.ServerResponse, id: string, format: string): true {
    const m = this.messages.get(id);
    if (!m || m.deleted) return this.#notFound(res);
    if (!["full", "metadata", "minimal", "raw"].includes(format)) return this.#error(res, 400, "invalidArgument", `Invalid value at 'format' (${format})`);
    const text = m.body.replace(/<[^>]*>/g, "");
    const minimal = { id: m.id, threadId: m.threadId, labelIds: ["UNREAD", "INBOX"], snippet: text.slice(0, 200), sizeEstimate: 2048 + m.body.length, historyId: m.historyId, internalDate: m.internalDate };
    const headers = [
      { name: "From", value: "Mill <mill@example.com>" }, { name: "To", value: EMAIL }, { name: "Subject", value: m.subject },
      { name: "Date", value: new Date(Number(m.internalDate)).toUTCString() }, { name: "Content-Type", value: `multipart/mixed; boundary="mixed-${m.id}"` },
    ];
    if (format === "minimal") return json(res, 200, minimal);
    if (format === "metadata") return json(res, 200, { ...minimal, payload: { partId: "", mimeType: "multipart/mixed", filename: "", headers, body: { size: 0 } } });
    if (format === "raw") return json(res, 200, { ...minimal, raw: b64url(`${headers.map((h) => `${h.name}: ${h.value}`).join("\r\n")}\r\n\r\n${text}`) });
    const leaf = (partId: string, mimeType: string, content: string) => ({
      partId, mimeType, filename: "", headers: [{ name: "Content-Type", value: `${mimeType}; charset="UTF-8"` }], body: { size: Buffer.byteLength(content), data: b64url(content) },
    });
    return json(res, 200, {
      ...minimal,
      payload: {
        partId: "", mimeType: "multipart/mixed", filename: "", headers, body: { size: 0 },
        parts: [
          { partId: "0", mimeType: "multipart/alternative", filename: "", headers: [{ name: "Content-Type", value: `multipart/alternative; boundary="alt-${m.id}"` }], body: { size: 0 }, parts: [leaf("0.0", "text/plain", text), leaf("0.1", "text/html", m.body)] },
          ...m.attachments.map((a, i) => {
            const attachmentId = opaque();
            this.#attachmentIds.set(attachmentId, { messageId: m.id, index: i });
            return {
              partId: String(i + 1), mimeType: "application/pdf", filename: a.name,
              headers: [{ name: "Content-Type", value: `application/pdf; name="${a.name}"` }, { name: "Content-Disposition", value: `attachment; filename="${a.name}"` }, { name: "Content-Transfer-Encoding", value: "base64" }],
              body: { attachmentId, size: Buffer.byteLength(a.content) },
            };
          }),
        ],
      },
    });
  }
}
