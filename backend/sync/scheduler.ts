/**
 * Where sync jobs run. The engine never sees this: it is called with a connection id. The
 * interface is the subset of BullMQ the sync needs, so a Redis-backed queue can replace the
 * in-process one without touching sync logic (docs/SYNC.md):
 * - `add(name, data, {jobId, delayMs})` ↔ `queue.add(name, data, { jobId, delay })` (jobId dedupes);
 * - `every(name, data, intervalMs, jobId)` ↔ `queue.add(name, data, { repeat: { every }, jobId })`;
 * - `process(name, handler)` ↔ `new Worker(queueName, job => handler(job.data))`;
 * - `close()` ↔ `worker.close(); queue.close()`.
 */
export interface JobQueue<Data> {
  add(name: string, data: Data, options?: { jobId?: string; delayMs?: number }): Promise<void>;
  every(name: string, data: Data, intervalMs: number, jobId: string): Promise<void>;
  cancel(jobId: string): Promise<void>;
  process(name: string, handler: (data: Data) => Promise<void>): void;
  close(): Promise<void>;
}

interface Pending<Data> {
  name: string;
  data: Data;
  timer?: NodeJS.Timeout;
}

/**
 * The embedded mode's queue: jobs run in this process, `concurrency` at a time. A job added while
 * the same jobId waits is merged; added while it runs, it runs once more afterwards (so a change
 * that arrives mid-sync is not missed). A failing handler is logged by the handler itself.
 */
export class InProcessQueue<Data> implements JobQueue<Data> {
  readonly #handlers = new Map<string, (data: Data) => Promise<void>>();
  readonly #waiting = new Map<string, Pending<Data>>();
  readonly #ready: string[] = [];
  readonly #running = new Set<string>();
  readonly #again = new Map<string, Pending<Data>>();
  readonly #repeats = new Map<string, NodeJS.Timeout>();
  readonly #idle: (() => void)[] = [];
  #closed = false;

  constructor(private readonly concurrency = 1) {}

  add(name: string, data: Data, options: { jobId?: string; delayMs?: number } = {}): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const jobId = options.jobId ?? `${name}:${Math.random().toString(36).slice(2)}`;
    if (this.#running.has(jobId)) {
      this.#again.set(jobId, { name, data });
      return Promise.resolve();
    }
    if (this.#waiting.has(jobId)) return Promise.resolve();
    const pending: Pending<Data> = { name, data };
    this.#waiting.set(jobId, pending);
    if (options.delayMs && options.delayMs > 0) {
      pending.timer = setTimeout(() => {
        this.#enqueue(jobId);
      }, options.delayMs);
      pending.timer.unref();
    } else this.#enqueue(jobId);
    return Promise.resolve();
  }

  async every(name: string, data: Data, intervalMs: number, jobId: string): Promise<void> {
    await this.cancel(jobId);
    const timer = setInterval(() => {
      void this.add(name, data, { jobId });
    }, intervalMs);
    timer.unref();
    this.#repeats.set(jobId, timer);
  }

  cancel(jobId: string): Promise<void> {
    clearInterval(this.#repeats.get(jobId));
    this.#repeats.delete(jobId);
    const pending = this.#waiting.get(jobId);
    if (pending?.timer) clearTimeout(pending.timer);
    this.#waiting.delete(jobId);
    this.#again.delete(jobId);
    return Promise.resolve();
  }

  process(name: string, handler: (data: Data) => Promise<void>): void {
    this.#handlers.set(name, handler);
    this.#pump();
  }

  /** Resolves when nothing waits to run or runs (delayed jobs count as waiting): for tests and shutdown. */
  idle(): Promise<void> {
    if (this.#waiting.size === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const jobId of [...this.#repeats.keys(), ...this.#waiting.keys()]) await this.cancel(jobId);
    this.#ready.length = 0;
    await this.idle();
  }

  #enqueue(jobId: string): void {
    this.#ready.push(jobId);
    this.#pump();
  }

  #pump(): void {
    while (this.#running.size < this.concurrency) {
      const index = this.#ready.findIndex((id) => this.#handlers.has(this.#waiting.get(id)?.name ?? ""));
      if (index < 0) break;
      const [jobId] = this.#ready.splice(index, 1);
      const job = jobId === undefined ? undefined : this.#waiting.get(jobId);
      if (jobId === undefined || !job) continue;
      this.#waiting.delete(jobId);
      this.#running.add(jobId);
      const handler = this.#handlers.get(job.name);
      void (handler ? handler(job.data) : Promise.resolve())
        .catch(() => undefined)
        .finally(() => {
          this.#running.delete(jobId);
          const again = this.#again.get(jobId);
          this.#again.delete(jobId);
          if (again && !this.#closed) void this.add(again.name, again.data, { jobId });
          this.#pump();
          if (this.#waiting.size === 0 && this.#running.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }
}
