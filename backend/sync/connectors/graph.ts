import { Client, GraphError, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { CursorExpiredError, type MailboxConnector, type MailMessage, type SyncPage, type SyncPosition } from "./connector";

/**
 * Microsoft Graph: delta query on the inbox (`/me/mailFolders/inbox/messages/delta`), through the
 * official client. `Prefer: IdType="ImmutableId"` keeps ids stable when messages move between
 * folders; `odata.maxpagesize` sets the page size. A page carries `@odata.nextLink` (more pages)
 * or `@odata.deltaLink` (done; the next sync starts there). The links are followed as given: their
 * path (`mailfolders('<id>')`) differs from the one asked for, and their tokens carry `$select`.
 * An expired token is 410 Gone (a "synchronization reset"), or per the delta overview any 40X with
 * a code such as syncStateNotFound / resyncRequired: both mean a full resync.
 * The client's RetryHandler honours 429 + Retry-After; the engine retries the rest.
 */
const SELECT = "subject,body,conversationId,lastModifiedDateTime";

interface DeltaMessage {
  id: string;
  conversationId?: string;
  lastModifiedDateTime?: string;
  subject?: string;
  body?: { content?: string };
  "@removed"?: { reason?: string };
}

interface DeltaPage {
  value: DeltaMessage[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

export class GraphConnector implements MailboxConnector {
  constructor(private readonly options: { baseUrl: string; pageSize: number }) {}

  /** "Get user" (`GET /me`, scope User.Read): the primary SMTP address and the sign-in name (UPN). */
  async mailboxAddresses(accessToken: string): Promise<string[]> {
    const me = (await this.client(accessToken).api("/me").select("mail,userPrincipalName").get()) as { mail?: string | null; userPrincipalName?: string | null };
    return [me.mail, me.userPrincipalName].flatMap((a) => (typeof a === "string" && a.length > 0 ? [a] : []));
  }

  private client(accessToken: string): Client {
    return Client.initWithMiddleware({ baseUrl: this.options.baseUrl, defaultVersion: "v1.0", middleware: chain(new BearerForBase(this.options.baseUrl, accessToken)) });
  }

  async fetchPage(accessToken: string, position: SyncPosition): Promise<SyncPage> {
    const client = this.client(accessToken);
    const link = position.pageCursor ?? position.cursor;
    // The client only parses https links itself; a link is made relative to the configured base, so
    // tests can point the base at a local fake and production links stay the same.
    const request = link ? client.api(this.relative(link)) : client.api("/me/mailFolders/inbox/messages/delta").select(SELECT);
    let page: DeltaPage;
    try {
      page = (await request
        .header("Prefer", `IdType="ImmutableId", odata.maxpagesize=${this.options.pageSize}`)
        .get()) as DeltaPage;
    } catch (error) {
      if (error instanceof GraphError && cursorExpired(error)) throw new CursorExpiredError();
      throw error;
    }
    const messages: MailMessage[] = [];
    const removedIds: string[] = [];
    for (const m of page.value) {
      if (m["@removed"]) removedIds.push(m.id);
      else messages.push({ id: m.id, modifiedAt: m.lastModifiedDateTime ?? "", conversationId: m.conversationId ?? null, text: `${m.subject ?? ""}\n${m.body?.content ?? ""}` });
    }
    const next = page["@odata.nextLink"];
    const delta = page["@odata.deltaLink"];
    if (next) return { messages, removedIds, next: { pageCursor: next } };
    if (delta) return { messages, removedIds, next: { cursor: delta } };
    throw new Error("Graph delta page without nextLink or deltaLink");
  }

  private relative(link: string): string {
    const url = new URL(link);
    const path = url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "");
    return `${path}${url.search}`;
  }
}

/** Graph codes are compared case-insensitively: Outlook has been seen answering `SyncStateNotFound`. */
function cursorExpired(error: GraphError): boolean {
  if (error.statusCode === 410) return true;
  const code = error.code?.toLowerCase();
  return error.statusCode >= 400 && error.statusCode < 500 && (code === "syncstatenotfound" || code === "resyncrequired");
}

/**
 * The library's AuthenticationHandler sends tokens only to Microsoft's https hosts (and strips the
 * header elsewhere), which rules out a local fake. This middleware keeps the same guarantee for
 * the configured base: the token goes to that origin and nowhere else.
 */
class BearerForBase implements Middleware {
  #next: Middleware | undefined;

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    if (new URL(url).origin === new URL(this.base).origin) {
      context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string> | undefined), Authorization: `Bearer ${this.token}` } };
    }
    await this.#next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** Retry (429 + Retry-After, 503, 504) → bearer → fetch. */
function chain(auth: BearerForBase): Middleware {
  const retry = new RetryHandler(new RetryHandlerOptions());
  retry.setNext(auth);
  auth.setNext(new HTTPMessageHandler());
  return retry;
}
