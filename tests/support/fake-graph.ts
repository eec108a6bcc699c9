import { randomBytes } from "node:crypto";
import http from "node:http";
import { FakeTokenEndpoint, close, json, listen, readForm } from "./fake-oauth";

/**
 * A local Microsoft Graph for the sync tests, implementing the documented shapes the connector
 * uses: `GET /v1.0/me/mailFolders/inbox/messages/delta` (pages sized by `Prefer:
 * odata.maxpagesize`, `@odata.nextLink` with `$skiptoken`, a final `@odata.deltaLink` with
 * `$deltatoken`, `@removed` for deleted messages, 410 `syncStateNotFound` for an expired token),
 * `GET /v1.0/me/messages/{id}/attachments`, 429 + Retry-After on demand, and an OAuth 2.0 token
 * endpoint (authorization_code and refresh_token grants, `invalid_grant` once consent is revoked).
 */
export interface FakeMessage {
  id: string;
  conversationId: string;
  subject: string;
  body: string;
  attachments: { name: string; content: string }[];
  /** Position in the change log; bumped on every change. */
  version: number;
  modifiedAt: string;
  deleted: boolean;
}

export class FakeGraph {
  readonly messages = new Map<string, FakeMessage>();
  readonly tokens = new FakeTokenEndpoint("graph-client", "graph-secret");
  /** Request lines and the Prefer header of every Graph call, for assertions. */
  readonly requests: { path: string; prefer: string }[] = [];
  #version = 0;
  #tooMany: { count: number; retryAfter: number } = { count: 0, retryAfter: 0 };
  /** Delta tokens at or below this version answer 410 (the service forgot them). */
  #expiredUpTo = -1;
  #server: http.Server | undefined;
  base = "";

  static async start(): Promise<FakeGraph> {
    const fake = new FakeGraph();
    fake.#server = http.createServer((req, res) => void fake.#route(req, res));
    fake.base = await listen(fake.#server);
    return fake;
  }

  get tokenUrl(): string {
    return `${this.base}/oauth2/v2.0/token`;
  }

  add(message: Omit<FakeMessage, "version" | "modifiedAt" | "deleted" | "id"> & { id?: string }): FakeMessage {
    const stored: FakeMessage = { id: message.id ?? `AAMk-${randomBytes(9).toString("base64url")}`, ...message, version: ++this.#version, modifiedAt: new Date(Date.now() + this.#version).toISOString(), deleted: false };
    this.messages.set(stored.id, stored);
    return stored;
  }

  change(id: string, body: string): void {
    const m = this.messages.get(id);
    if (m) Object.assign(m, { body, version: ++this.#version, modifiedAt: new Date(Date.now() + this.#version).toISOString() });
  }

  remove(id: string): void {
    const m = this.messages.get(id);
    if (m) Object.assign(m, { deleted: true, version: ++this.#version });
  }

  /** The next `count` Graph calls answer 429 with Retry-After. */
  throttle(count: number, retryAfterSeconds: number): void {
    this.#tooMany = { count, retryAfter: retryAfterSeconds };
  }

  expireDeltaTokens(): void {
    this.#expiredUpTo = this.#version;
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<true> {
    const url = new URL(req.url ?? "/", this.base);
    if (req.method === "POST" && url.pathname === "/oauth2/v2.0/token") return this.tokens.handle(await readForm(req), res);
    this.requests.push({ path: `${url.pathname}${url.search}`, prefer: String(req.headers.prefer ?? "") });
    if (this.#tooMany.count > 0) {
      this.#tooMany.count--;
      return json(res, 429, { error: { code: "TooManyRequests", message: "Please retry later" } }, { "retry-after": String(this.#tooMany.retryAfter) });
    }
    if (!this.tokens.validAccess(req.headers.authorization)) return json(res, 401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." } });
    const attachments = /^\/v1\.0\/me\/messages\/([^/]+)\/attachments$/.exec(url.pathname);
    if (req.method === "GET" && attachments) {
      const m = this.messages.get(decodeURIComponent(attachments[1] ?? ""));
      if (!m) return json(res, 404, { error: { code: "ErrorItemNotFound", message: "Not found" } });
      return json(res, 200, { value: m.attachments.map((a, i) => ({ "@odata.type": "#microsoft.graph.fileAttachment", id: `att-${i}`, name: a.name, contentType: "application/pdf", contentBytes: Buffer.from(a.content).toString("base64") })) });
    }
    if (req.method === "GET" && url.pathname === "/v1.0/me/mailFolders/inbox/messages/delta") return this.#delta(url, req, res);
    return json(res, 404, { error: { code: "ResourceNotFound", message: "Unknown path" } });
  }

  /** skiptoken = base64url {since, upTo, offset}; deltatoken = base64url {since: version}. */
  #delta(url: URL, req: http.IncomingMessage, res: http.ServerResponse): true {
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? 10);
    const skip = url.searchParams.get("$skiptoken");
    const delta = url.searchParams.get("$deltatoken");
    let state: { since: number; upTo: number; offset: number };
    if (skip) state = JSON.parse(Buffer.from(skip, "base64url").toString("utf8")) as typeof state;
    else if (delta) {
      const since = (JSON.parse(Buffer.from(delta, "base64url").toString("utf8")) as { since: number }).since;
      if (since <= this.#expiredUpTo) return json(res, 410, { error: { code: "syncStateNotFound", message: "The sync state generation is not found." } });
      state = { since, upTo: this.#version, offset: 0 };
    } else state = { since: 0, upTo: this.#version, offset: 0 };
    const changed = [...this.messages.values()]
      .filter((m) => m.version > state.since && m.version <= state.upTo && !(state.since === 0 && m.deleted))
      .sort((a, b) => a.version - b.version);
    const page = changed.slice(state.offset, state.offset + pageSize);
    const value = page.map((m) =>
      m.deleted
        ? { "@odata.type": "#microsoft.graph.message", id: m.id, "@removed": { reason: "deleted" } }
        : { "@odata.type": "#microsoft.graph.message", "@odata.etag": `W/"${m.version}"`, id: m.id, conversationId: m.conversationId, lastModifiedDateTime: m.modifiedAt, subject: m.subject, body: { contentType: "html", content: m.body }, hasAttachments: m.attachments.length > 0 },
    );
    const link = `${this.base}/v1.0/me/mailFolders/inbox/messages/delta`;
    const more = state.offset + pageSize < changed.length;
    return json(res, 200, {
      "@odata.context": `${this.base}/v1.0/$metadata#Collection(message)`,
      value,
      ...(more
        ? { "@odata.nextLink": `${link}?$skiptoken=${Buffer.from(JSON.stringify({ ...state, offset: state.offset + pageSize })).toString("base64url")}` }
        : { "@odata.deltaLink": `${link}?$deltatoken=${Buffer.from(JSON.stringify({ since: state.upTo })).toString("base64url")}` }),
    });
  }
}
