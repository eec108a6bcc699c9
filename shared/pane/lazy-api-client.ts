import type { ApiClient, ApiClientOptions } from "../api/client";
import { ViewLoadError } from "./shell/view-load-error";

/**
 * An `ApiClient` whose code (the typed client and every wire schema, with zod: about 30 KB gzip)
 * loads on the first call instead of with the page, so a host page's entry bundle stays small.
 * The first call (usually GET /me) starts the load right after the pane's first paint. A failed
 * load is forgotten, so the next call (Retry) tries again.
 */
export function createLazyApiClient(options: ApiClientOptions): ApiClient {
  let loading: Promise<ApiClient> | undefined;
  const client = (): Promise<ApiClient> => {
    loading ??= import("../api/client").then(
      (module) => module.createApiClient(options),
      (error: unknown) => {
        loading = undefined;
        throw new ViewLoadError(error);
      },
    );
    return loading;
  };
  // Every ApiClient method returns a promise, so each can wait for the client first. `then` and
  // symbols stay undefined: the proxy must not look like a promise (`await api` would call it).
  return new Proxy({} as ApiClient, {
    get: (_, method) => {
      if (typeof method !== "string" || method === "then") return undefined;
      return async (...args: unknown[]): Promise<unknown> => {
        const loaded = await client();
        const call: unknown = Reflect.get(loaded, method);
        if (typeof call !== "function") throw new TypeError(`The API client has no method ${method}.`);
        return Reflect.apply(call, loaded, args) as Promise<unknown>;
      };
    },
  });
}
