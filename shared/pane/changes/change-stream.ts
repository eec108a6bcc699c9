import type { ApiClient } from "../../api/client";
import type { ChangeList } from "../../protocol/sync";

/**
 * Follows the change feed for the pane (docs/SYNC.md, "Change stream"): a single-use ticket, an
 * EventSource on the ticket's URL, and on every `changed` hint a getChanges from the last cursor.
 * Framework-free so the reconnect rules can be tested with a fake EventSource and a fake clock.
 *
 * - The first cursor is `latest=true`: a pane that opens counts nothing that happened before.
 * - `ready` (each connect and reconnect) also reads the feed: changes made while no stream was
 *   open are then not lost, only late.
 * - `expired` (the server's 30-minute limit): a new ticket at once.
 * - `error`: EventSource would retry the same URL, whose ticket is spent, so the source is closed
 *   and a NEW ticket is taken after a capped exponential backoff with jitter (many panes do not
 *   come back in step after a server restart).
 * - The token never goes into a URL: only the ticket does, and the server drops query strings
 *   from its logs.
 */

/** The part of the browser's EventSource the stream uses (a fake one in tests). */
export interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

export interface ChangeStreamOptions {
  readonly api: Pick<ApiClient, "createStreamTicket" | "getChanges">;
  readonly openEventSource: EventSourceFactory;
  /** The certs that changed (each once per call); called only when there are some. */
  readonly onChanges: (certIds: readonly string[]) => void;
  readonly random?: () => number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;
/** One getChanges page; the feed says hasMore when there is more. */
const PAGE_LIMIT = 100;

/** The wait before reconnect attempt `failures` (1, 2, …): half fixed, half random, capped. */
export function backoffDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class ChangeStream {
  #source: EventSourceLike | undefined;
  #timer: unknown;
  #cursor: string | undefined;
  #failures = 0;
  #running = false;
  /** Bumped on every start and stop: answers for an older connection are dropped. */
  #generation = 0;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  readonly #random: () => number;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;

  constructor(private readonly options: ChangeStreamOptions) {
    this.#random = options.random ?? Math.random;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer = options.clearTimer ?? ((timer) => { clearTimeout(timer as ReturnType<typeof setTimeout>); });
  }

  get running(): boolean {
    return this.#running;
  }

  /** Connects (again); the cursor is kept across stop/start, so a pause loses nothing. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#connect(++this.#generation);
  }

  stop(): void {
    this.#running = false;
    this.#generation++;
    this.#closeSource();
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#timer = undefined;
  }

  async #connect(generation: number): Promise<void> {
    try {
      this.#cursor ??= (await this.options.api.getChanges({ latest: true })).cursor;
      const { url } = await this.options.api.createStreamTicket();
      if (generation !== this.#generation) return;
      const source = this.options.openEventSource(url);
      this.#source = source;
      source.addEventListener("ready", () => {
        if (this.#source !== source) return;
        this.#failures = 0;
        this.#read();
      });
      source.addEventListener("changed", () => {
        if (this.#source === source) this.#read();
      });
      source.addEventListener("expired", () => {
        if (this.#source !== source) return;
        this.#closeSource();
        void this.#connect(this.#generation);
      });
      source.onerror = () => {
        if (this.#source === source) this.#retryLater();
      };
    } catch {
      // The ticket or the first cursor failed (offline, server restarting): same backoff.
      if (generation === this.#generation) this.#retryLater();
    }
  }

  #retryLater(): void {
    this.#closeSource();
    this.#failures++;
    const generation = this.#generation;
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined;
      if (generation === this.#generation) void this.#connect(generation);
    }, backoffDelay(this.#failures, this.#random));
  }

  #closeSource(): void {
    this.#source?.close();
    this.#source = undefined;
  }

  /** Reads the feed from the cursor to its end; hints arriving meanwhile cause one more read. */
  #read(): void {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = this.#readAll().finally(() => {
      this.#reading = undefined;
      if (this.#readAgain && this.#running) {
        this.#readAgain = false;
        this.#read();
      }
    });
  }

  async #readAll(): Promise<void> {
    const cursor = this.#cursor;
    if (cursor === undefined) return;
    const changed = new Set<string>();
    let next = cursor;
    try {
      for (let page: ChangeList | undefined; !page || page.hasMore; ) {
        page = await this.options.api.getChanges({ cursor: next, limit: PAGE_LIMIT });
        for (const item of page.items) changed.add(item.cert.id);
        next = page.cursor;
      }
    } catch {
      // Keep what was read; the next hint (or reconnect) continues from there.
    }
    this.#cursor = next;
    if (changed.size > 0) this.options.onChanges([...changed]);
  }
}
