import type { ServerResponse } from "node:http";
import type { FastifyBaseLogger } from "fastify";
import type { Principal } from "../orgs/model";
import type { ChangeService } from "./change-service";

/**
 * The server-sent events side of the change feed. Each open stream remembers the feed position it
 * last hinted about; one timer (running only while streams are open) reads the feed's head, and
 * when it moved, asks for each stream whether anything *that user* can view changed. If so the
 * stream gets `event: changed` with an empty body: a hint to call getChanges, never content, so a
 * stream can leak nothing the feed itself would not show. The user is reloaded on every check, so
 * a membership change takes effect on the next hint. Streams end after `maxLifetimeMs`; the pane
 * then fetches a new ticket, which re-checks that the user still exists.
 */
export interface ChangeStreamOptions {
  pollMs: number;
  heartbeatMs: number;
  maxLifetimeMs: number;
  maxStreamsPerUser: number;
}

export const DEFAULT_STREAM_OPTIONS: ChangeStreamOptions = { pollMs: 1000, heartbeatMs: 20_000, maxLifetimeMs: 30 * 60_000, maxStreamsPerUser: 5 };

interface OpenStream {
  userId: string;
  orgId: string;
  after: number;
  response: ServerResponse;
  openedAt: number;
  lastWrite: number;
}

export class ChangeStreams {
  readonly #streams = new Set<OpenStream>();
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(
    private readonly changes: ChangeService,
    private readonly loadUser: (orgId: string, userId: string) => Promise<Principal | undefined>,
    private readonly log: FastifyBaseLogger,
    private readonly options: ChangeStreamOptions = DEFAULT_STREAM_OPTIONS,
  ) {}

  get size(): number {
    return this.#streams.size;
  }

  countFor(userId: string): number {
    return [...this.#streams].filter((s) => s.userId === userId).length;
  }

  /** Takes over an already-started SSE response; the stream starts at the current head. */
  async open(user: { userId: string; orgId: string }, response: ServerResponse): Promise<void> {
    const stream: OpenStream = { ...user, after: await this.changes.head(), response, openedAt: Date.now(), lastWrite: Date.now() };
    this.#streams.add(stream);
    response.on("close", () => {
      this.#remove(stream);
    });
    // The retry field tells EventSource how long to wait before reconnecting by itself.
    this.#write(stream, "retry: 3000\nevent: ready\ndata: {}\n\n");
    this.#timer ??= setInterval(() => void this.#tick(), this.options.pollMs);
  }

  closeAll(): void {
    for (const stream of [...this.#streams]) {
      stream.response.end();
      this.#remove(stream);
    }
  }

  async #tick(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const now = Date.now();
      const head = await this.changes.head();
      for (const stream of [...this.#streams]) {
        if (now - stream.openedAt >= this.options.maxLifetimeMs) {
          this.#write(stream, "event: expired\ndata: {}\n\n");
          stream.response.end();
          this.#remove(stream);
          continue;
        }
        if (head > stream.after) {
          const user = await this.loadUser(stream.orgId, stream.userId);
          const changed = user ? await this.changes.anyVisible(user, stream.after, head) : false;
          stream.after = head;
          if (changed) this.#write(stream, "event: changed\ndata: {}\n\n");
        }
        if (now - stream.lastWrite >= this.options.heartbeatMs) this.#write(stream, ": keep-alive\n\n");
      }
    } catch (error) {
      this.log.warn({ err: error }, "change stream check failed; retrying on the next tick");
    } finally {
      this.#checking = false;
    }
  }

  #write(stream: OpenStream, text: string): void {
    if (stream.response.writableEnded) return;
    stream.response.write(text);
    stream.lastWrite = Date.now();
  }

  #remove(stream: OpenStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
