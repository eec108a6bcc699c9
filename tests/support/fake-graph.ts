import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { FakeTokenEndpoint, close, json, listen, readForm } from "./fake-oauth";

/**
 * A local Microsoft Graph for the sync tests. Every shape below is checked against Microsoft's
 * documentation; docs/SYNC-FAKES.md names the page for each and what the fake leaves out.
 * - `GET /v1.0/me/mailFolders/inbox/messages/delta` ("message: delta", "Get incremental changes
 *   to messages in a folder"): `$select` is honoured and, like the real state tokens, encoded into
 *   the links so later pages keep it; pages sized by `Prefer: odata.maxpagesize`; ids are immutable
 *   ids only when the request says `Prefer: IdType="ImmutableId"` (other requests get a different,
 *   "REST" id, as Outlook does); `@odata.nextLink` / `@odata.deltaLink` point at
 *   `mailfolders('<folder id>')`, not at the path the client asked for; `@removed: {reason:
 *   "deleted"}` for deleted messages; an expired delta token answers 410 + Location or, as the
 *   overview allows ("a 40X-series error with error codes such as syncStateNotFound"), 400.
 * - `GET /v1.0/me` ("Get user": `mail`, `userPrincipalName`, `$select`) — whose mailbox it is.
 * - `GET /v1.0/me/messages/{id}/attachments` (fileAttachment shape; the connector never calls it).
 * - 429 with `Retry-After` (seconds, fractions allowed) and the throttling page's error body; 401
 *   `InvalidAuthenticationToken`; errors as `{ error: { code, message, innerError } }`.
 * - The OAuth authorize and token endpoints (fake-oauth.ts).
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

/** One Graph call as the fake saw it, for assertions on what the connector sends. */
export interface GraphCall {
  method: string;
  path: string;
  /** The raw Prefer header(s), and the preferences parsed as RFC 7240 reads them (names lower-cased). */
  prefer: string;
  preferences: Map<string, string>;
  /** Set by the Graph client's RetryHandler on a retried request. */
  retryAttempt: string | null;
}

/** What a state token encodes: the round's window, the page offset, and the initial query's `$select`. */
interface DeltaState {
  since: number;
  upTo: number;
  offset: number;
  select: string[] | null;
}

/** Properties the fake can return; the default set when there is no `$select`. */
const PROPERTIES = ["createdDateTime", "lastModifiedDateTime", "receivedDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "isRead", "parentFolderId", "conversationId", "body"] as const;
const INBOX_ID = "AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAuAAADinbox";
/** Outlook's default page size for message delta (not stated on the delta pages; 10 in practice). */
const DEFAULT_PAGE = 10;

/** RFC 7240 §2: preferences are comma-separated `name[=value][;params]`, values may be quoted. */
export function parsePrefer(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of header.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const [pair = ""] = piece.split(";");
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

const encodeState = (state: DeltaState) => Buffer.from(JSON.stringify(state)).toString("base64url");

export class FakeGraph {
  readonly messages = new Map<string, FakeMessage>();
  readonly tokens = new FakeTokenEndpoint("graph-client", "graph-secret", { scopes: ["offline_access", "https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/User.Read"] });
  readonly requests: GraphCall[] = [];
  #version = 0;
  #tooMany = { count: 0, retryAfter: "0" };
  /** Delta tokens at or below this version are forgotten; how the fake says so. */
  #expired: { upTo: number; as: "gone" | "bad-request" } = { upTo: -1, as: "gone" };
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

  /** `id` is the message's immutable id. */
  add(message: Omit<FakeMessage, "version" | "modifiedAt" | "deleted" | "id"> & { id?: string }): FakeMessage {
    const stored: FakeMessage = { id: message.id ?? `AAkALgAA${randomBytes(24).toString("base64url")}`, ...message, version: ++this.#version, modifiedAt: new Date(Date.now() + this.#version).toISOString(), deleted: false };
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

  /** The next `count` Graph calls answer 429 with `Retry-After: retryAfterSeconds`. */
  throttle(count: number, retryAfterSeconds: number): void {
    this.#tooMany = { count, retryAfter: String(retryAfterSeconds) };
  }

  /** Forgets every delta token issued so far: 410 + Location ("gone"), or 400 syncStateNotFound. */
  expireDeltaTokens(as: "gone" | "bad-request" = "gone"): void {
    this.#expired = { upTo: this.#version, as };
  }

  /** The id a request without `Prefer: IdType="ImmutableId"` sees (Outlook's default, movable id). */
  static restId(immutableId: string): string {
    return `AAMkAG${createHash("sha256").update(immutableId).digest("base64url").slice(0, 40)}`;
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<true> {
    const url = new URL(req.url ?? "/", this.base);
    if (req.method === "POST" && url.pathname === "/oauth2/v2.0/token") return this.tokens.handle(await readForm(req), res);
    if (req.method === "GET" && url.pathname === "/oauth2/v2.0/authorize") return this.tokens.authorize(url, res);
    const prefer = [req.headers.prefer ?? []].flat().join(", ");
    const retryAttempt = req.headers["retry-attempt"];
    this.requests.push({ method: req.method ?? "", path: `${url.pathname}${url.search}`, prefer, preferences: parsePrefer(prefer), retryAttempt: typeof retryAttempt === "string" ? retryAttempt : null });
    if (this.#tooMany.count > 0) {
      this.#tooMany.count--;
      return this.#error(res, 429, "TooManyRequests", "Please retry again later.", { "retry-after": this.#tooMany.retryAfter });
    }
    if (!this.tokens.validAccess(req.headers.authorization)) return this.#error(res, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
    if (req.method !== "GET") return this.#error(res, 405, "invalidRequest", "The HTTP method in the request is not allowed on the resource.");
    if (url.pathname === "/v1.0/me") return this.#me(res, req.headers.authorization, url.searchParams.get("$select"));
    const immutable = parsePrefer(prefer).get("idtype") === "ImmutableId";
    const attachments = /^\/v1\.0\/me\/messages\/([^/]+)\/attachments$/.exec(url.pathname);
    if (attachments) return this.#attachments(res, decodeURIComponent(attachments[1] ?? ""), immutable);
    // The delta page's own examples write both mailFolders and mailfolders; the folder is addressed
    // by well-known name or by id.
    const folder = /^\/v1\.0\/me\/mailfolders(?:\/([^/(]+)|\('([^']+)'\))\/messages\/delta$/i.exec(decodeURIComponent(url.pathname));
    if (folder) {
      const name = folder[1] ?? folder[2] ?? "";
      if (name.toLowerCase() !== "inbox" && name !== INBOX_ID) return this.#error(res, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
      return this.#delta(url, prefer, immutable, res);
    }
    return this.#error(res, 400, "BadRequest", "Resource not found for the segment.");
  }

  /** "Get user" (GET /me, needs User.Read): the signed-in user's profile, reduced to `$select`. */
  #me(res: http.ServerResponse, authorization: string | undefined, select: string | null): true {
    const account = this.tokens.accountOf(authorization) ?? "";
    const user: Record<string, string | null> = { id: `user-${account}`, displayName: account.split("@")[0] ?? "", mail: account, userPrincipalName: account };
    const fields = select ? select.split(",") : Object.keys(user);
    const picked = Object.fromEntries(fields.filter((f) => f in user).map((f) => [f, user[f] ?? null]));
    return json(res, 200, { "@odata.context": `${this.base}/v1.0/$metadata#users(${fields.join(",")})/$entity`, ...picked });
  }

  #error(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): true {
    const innerError = { date: new Date().toISOString().slice(0, 19), "request-id": randomUUID(), "client-request-id": randomUUID() };
    return json(res, status, { error: { code, message, innerError } }, headers);
  }

  #attachments(res: http.ServerResponse, id: string, immutable: boolean): true {
    const m = [...this.messages.values()].find((x) => !x.deleted && (immutable ? x.id : FakeGraph.restId(x.id)) === id);
    if (!m) return this.#error(res, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return json(res, 200, {
      "@odata.context": `${this.base}/v1.0/$metadata#users('me')/messages('${id}')/attachments`,
      value: m.attachments.map((a, i) => ({
        "@odata.type": "#microsoft.graph.fileAttachment", id: `AAMkAGAtt${i}${id.slice(-8)}`, lastModifiedDateTime: m.modifiedAt, name: a.name, contentType: "application/pdf",
        size: Buffer.byteLength(a.content), isInline: false, contentId: null, contentLocation: null, contentBytes: Buffer.from(a.content).toString("base64"),
      })),
    });
  }

  #delta(url: URL, prefer: string, immutable: boolean, res: http.ServerResponse): true {
    const pageSize = Number(parsePrefer(prefer).get("odata.maxpagesize") ?? DEFAULT_PAGE) || DEFAULT_PAGE;
    const skip = url.searchParams.get("$skiptoken");
    const delta = url.searchParams.get("$deltatoken");
    const link = `${this.base}/v1.0/me/mailfolders('${INBOX_ID}')/messages/delta`;
    let state: DeltaState;
    try {
      if (skip) state = JSON.parse(Buffer.from(skip, "base64url").toString("utf8")) as DeltaState;
      else if (delta) {
        const token = JSON.parse(Buffer.from(delta, "base64url").toString("utf8")) as DeltaState;
        if (token.since <= this.#expired.upTo) {
          // Observed Outlook body on 410 (microsoft-graph-docs#2350); the errors page spells it syncStateNotFound.
          if (this.#expired.as === "gone") return this.#error(res, 410, "SyncStateNotFound", "The sync state generation is not found.", { location: `${link}?$deltatoken=` });
          return this.#error(res, 400, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
        }
        state = { since: token.since, upTo: this.#version, offset: 0, select: token.select };
      } else {
        const select = url.searchParams.get("$select")?.split(",").map((s) => s.trim()) ?? null;
        const unknown = select?.find((p) => p !== "id" && !(PROPERTIES as readonly string[]).includes(p));
        // Not on the documented error list: the code real tenants answer for an unknown property.
        if (unknown) return this.#error(res, 400, "RequestBroker--ParseUri", `Could not find a property named '${unknown}' on type 'microsoft.graph.message'.`);
        state = { since: 0, upTo: this.#version, offset: 0, select };
      }
    } catch {
      return this.#error(res, 400, "BadRequest", "The state token is malformed.");
    }
    // The initial round lists what exists now: messages deleted before it are not reported.
    const changed = [...this.messages.values()]
      .filter((m) => m.version > state.since && m.version <= state.upTo && !(state.since === 0 && m.deleted))
      .sort((a, b) => a.version - b.version);
    const page = changed.slice(state.offset, state.offset + pageSize);
    const more = state.offset + pageSize < changed.length;
    return json(res, 200, {
      "@odata.context": `${this.base}/v1.0/$metadata#Collection(message)`,
      ...(more
        ? { "@odata.nextLink": `${link}?$skiptoken=${encodeState({ ...state, offset: state.offset + pageSize })}` }
        : { "@odata.deltaLink": `${link}?$deltatoken=${encodeState({ since: state.upTo, upTo: state.upTo, offset: 0, select: state.select })}` }),
      value: page.map((m) => this.#representation(m, state.select, immutable)),
    });
  }

  /** A changed message: `@odata.type`, `@odata.etag`, `id` and the selected (or default) properties. */
  #representation(m: FakeMessage, select: string[] | null, immutable: boolean): Record<string, unknown> {
    const id = immutable ? m.id : FakeGraph.restId(m.id);
    if (m.deleted) return { "@odata.type": "#microsoft.graph.message", id, "@removed": { reason: "deleted" } };
    const text = m.body.replace(/<[^>]*>/g, "");
    const all: Record<(typeof PROPERTIES)[number], unknown> = {
      createdDateTime: m.modifiedAt, lastModifiedDateTime: m.modifiedAt, receivedDateTime: m.modifiedAt, hasAttachments: m.attachments.length > 0,
      internetMessageId: `<${m.id.slice(-12)}@mill.example>`, subject: m.subject, bodyPreview: text.slice(0, 255), isRead: false, parentFolderId: INBOX_ID,
      conversationId: m.conversationId, body: { contentType: "html", content: m.body },
    };
    const keys = select ? PROPERTIES.filter((p) => select.includes(p)) : PROPERTIES;
    return { "@odata.type": "#microsoft.graph.message", "@odata.etag": `W/"CQAAABYAAAA${m.version}"`, ...Object.fromEntries(keys.map((k) => [k, all[k]])), id };
  }
}
