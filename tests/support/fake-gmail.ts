import { randomBytes } from "node:crypto";
import http from "node:http";
import { FakeTokenEndpoint, close, json, listen, readForm } from "./fake-oauth";

/**
 * A local Gmail API for the sync tests, with the documented shapes the connector uses:
 * `users.getProfile` (historyId), `users.messages.list` (`messages[{id, threadId}]`,
 * `nextPageToken`), `users.messages.get` (format=full: `payload.headers`, MIME `parts` with
 * base64url `body.data`, attachments as `filename` + `body.attachmentId`),
 * `users.messages.attachments.get`, and `users.history.list` (`history[].messagesAdded[].message`,
 * `historyId`, `nextPageToken`, 404 when startHistoryId is older than the history kept). 429 +
 * Retry-After on demand; OAuth token endpoint as in fake-graph.
 */
export interface FakeGmailMessage {
  id: string;
  threadId: string;
  subject: string;
  body: string;
  attachments: { name: string; content: string }[];
  historyId: number;
}

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

export class FakeGmail {
  readonly messages = new Map<string, FakeGmailMessage>();
  readonly tokens = new FakeTokenEndpoint("google-client", "google-secret");
  readonly requests: string[] = [];
  #historyId = 1000;
  #oldestHistory = 0;
  #tooMany = { count: 0, retryAfter: 0 };
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

  add(message: Omit<FakeGmailMessage, "id" | "historyId">): FakeGmailMessage {
    const stored = { id: randomBytes(8).toString("hex"), ...message, historyId: ++this.#historyId };
    this.messages.set(stored.id, stored);
    return stored;
  }

  throttle(count: number, retryAfterSeconds: number): void {
    this.#tooMany = { count, retryAfter: retryAfterSeconds };
  }

  /** History older than now is no longer kept: an old startHistoryId answers 404. */
  expireHistory(): void {
    this.#oldestHistory = this.#historyId + 1;
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<true> {
    const url = new URL(req.url ?? "/", this.base);
    if (req.method === "POST" && url.pathname === "/token") return this.tokens.handle(await readForm(req), res);
    this.requests.push(`${url.pathname}${url.search}`);
    if (this.#tooMany.count > 0) {
      this.#tooMany.count--;
      return json(res, 429, { error: { code: 429, message: "Rate Limit Exceeded", status: "RESOURCE_EXHAUSTED" } }, { "retry-after": String(this.#tooMany.retryAfter) });
    }
    if (!this.tokens.validAccess(req.headers.authorization)) return json(res, 401, { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } });
    const path = url.pathname.replace(/^\/gmail\/v1\/users\/me/, "");
    const notFound = () => json(res, 404, { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" } });
    if (path === "/profile") return json(res, 200, { emailAddress: "buyer@example.com", messagesTotal: this.messages.size, threadsTotal: this.messages.size, historyId: String(this.#historyId) });
    if (path === "/messages") {
      const all = [...this.messages.values()].sort((a, b) => b.historyId - a.historyId);
      const size = Number(url.searchParams.get("maxResults") ?? 100);
      const offset = Number(url.searchParams.get("pageToken") ?? 0);
      const page = all.slice(offset, offset + size);
      return json(res, 200, { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })), resultSizeEstimate: all.length, ...(offset + size < all.length ? { nextPageToken: String(offset + size) } : {}) });
    }
    const attachment = /^\/messages\/([^/]+)\/attachments\/att-(\d+)$/.exec(path);
    if (attachment) {
      const a = this.messages.get(attachment[1] ?? "")?.attachments[Number(attachment[2])];
      return a ? json(res, 200, { size: a.content.length, data: b64url(a.content) }) : notFound();
    }
    const one = /^\/messages\/([^/]+)$/.exec(path);
    if (one) {
      const m = this.messages.get(one[1] ?? "");
      if (!m) return notFound();
      return json(res, 200, {
        id: m.id, threadId: m.threadId, historyId: String(m.historyId), internalDate: String(Date.now()), labelIds: ["INBOX"], snippet: m.body.slice(0, 100), sizeEstimate: m.body.length,
        payload: {
          partId: "", mimeType: "multipart/mixed", filename: "",
          headers: [{ name: "Subject", value: m.subject }, { name: "From", value: "Mill <mill@example.com>" }, { name: "To", value: "buyer@example.com" }],
          body: { size: 0 },
          parts: [
            { partId: "0", mimeType: "text/plain", filename: "", headers: [{ name: "Content-Type", value: "text/plain; charset=UTF-8" }], body: { size: m.body.length, data: b64url(m.body) } },
            ...m.attachments.map((a, i) => ({ partId: String(i + 1), mimeType: "application/pdf", filename: a.name, headers: [{ name: "Content-Disposition", value: `attachment; filename="${a.name}"` }], body: { size: a.content.length, attachmentId: `att-${i}` } })),
          ],
        },
      });
    }
    if (path === "/history") {
      const start = Number(url.searchParams.get("startHistoryId") ?? 0);
      if (start < this.#oldestHistory) return notFound();
      const added = [...this.messages.values()].filter((m) => m.historyId > start).sort((a, b) => a.historyId - b.historyId);
      const size = Number(url.searchParams.get("maxResults") ?? 100);
      const offset = Number(url.searchParams.get("pageToken") ?? 0);
      const page = added.slice(offset, offset + size);
      return json(res, 200, {
        history: page.map((m) => ({ id: String(m.historyId), messages: [{ id: m.id, threadId: m.threadId }], messagesAdded: [{ message: { id: m.id, threadId: m.threadId, labelIds: ["INBOX"] } }] })),
        historyId: String(this.#historyId),
        ...(offset + size < added.length ? { nextPageToken: String(offset + size) } : {}),
      });
    }
    return notFound();
  }
}
