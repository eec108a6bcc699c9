/**
 * Retries provider calls: 429 and 5xx and network failures, with exponential backoff and jitter,
 * waiting at least what Retry-After asks. Other errors (401, 404, 410…) are the caller's to handle
 * and pass straight through. Errors of both client libraries are read: the Graph client's
 * GraphError (`statusCode`, `headers`) and gaxios' GaxiosError (`status`, `response.headers`).
 */
export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const candidate of [e.statusCode, e.status, e.response?.status, e.code]) {
    const n = typeof candidate === "string" ? Number(candidate) : candidate;
    if (typeof n === "number" && Number.isInteger(n) && n >= 100 && n < 600) return n;
  }
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  return typeof value === "string" ? value : undefined;
}

export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const e = error as { headers?: unknown; response?: { headers?: unknown } } | null;
  const value = header(e?.headers, "retry-after") ?? header(e?.response?.headers, "retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return error instanceof TypeError; // fetch's network failure
  return status === 429 || status >= 500;
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.attempts || !retryable(error)) throw error;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await options.sleep(Math.min(options.maxDelayMs, Math.max(backoff, retryAfterMs(error) ?? 0)));
    }
  }
}
