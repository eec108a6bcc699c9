import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

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

/** OAuth token endpoint shared by both fakes. */
export class FakeTokenEndpoint {
  readonly #codes = new Map<string, string>();
  readonly #refresh = new Set<string>();
  readonly #access = new Set<string>();
  /** Every grant_type seen, for assertions. */
  readonly grants: string[] = [];

  constructor(readonly clientId: string, readonly clientSecret: string) {}

  /** An authorization code as the provider's consent screen would hand back to the pane. */
  issueCode(): string {
    const code = `code-${randomBytes(8).toString("hex")}`;
    this.#codes.set(code, `refresh-${randomBytes(12).toString("hex")}`);
    return code;
  }

  revokeAll(): void {
    this.#refresh.clear();
    this.#access.clear();
  }

  validAccess(header: string | undefined): boolean {
    const token = header?.replace(/^Bearer /i, "");
    return token !== undefined && this.#access.has(token);
  }

  get refreshTokens(): string[] {
    return [...this.#refresh];
  }

  handle(form: URLSearchParams, res: http.ServerResponse): true {
    const fail = (error: string) => json(res, 400, { error, error_description: "fake token endpoint refused the grant" });
    if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) return json(res, 401, { error: "invalid_client" });
    const grant = form.get("grant_type") ?? "";
    this.grants.push(grant);
    let refresh: string | undefined;
    if (grant === "authorization_code") {
      refresh = this.#codes.get(form.get("code") ?? "");
      this.#codes.delete(form.get("code") ?? "");
      if (!refresh) return fail("invalid_grant");
      this.#refresh.add(refresh);
    } else if (grant === "refresh_token") {
      refresh = form.get("refresh_token") ?? "";
      if (!this.#refresh.has(refresh)) return fail("invalid_grant");
    } else return fail("unsupported_grant_type");
    const access = `access-${randomBytes(12).toString("hex")}`;
    this.#access.add(access);
    return json(res, 200, { token_type: "Bearer", expires_in: 3600, access_token: access, ...(grant === "authorization_code" ? { refresh_token: refresh } : {}) });
  }
}

/** Answers with JSON; returns true so route handlers can `return json(…)`. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a test server at once: open keep-alive connections are closed rather than waited for. */
export async function close(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
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
