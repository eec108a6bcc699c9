/**
 * Outlook on the web, new Outlook and mobile allow only 3 asynchronous Office.js calls at a time
 * ("Asynchronous calls: 3 calls" in Microsoft's "Limits for activation and API usage in Outlook
 * add-ins", https://learn.microsoft.com/office/dev/add-ins/outlook/limits-for-activation-and-javascript-api-for-outlook-add-ins).
 * Every `*Async` call of the adapter goes through one limiter so the pane can ask freely.
 */
export const OUTLOOK_MAX_CONCURRENT_ASYNC_CALLS = 3;

export interface AsyncLimiter {
  /** Runs `task` once fewer than `max` tasks are running; settles as `task` does. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and diagnostics). */
  readonly active: number;
}

export function createAsyncLimiter(max: number = OUTLOOK_MAX_CONCURRENT_ASYNC_CALLS): AsyncLimiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    get active() {
      return active;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
