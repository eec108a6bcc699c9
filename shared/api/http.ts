import type { z } from "zod";
import { PROBLEM_CONTENT_TYPE, problemSchema, type Problem } from "../protocol/problem";

/**
 * The HTTP machinery under the typed API client: bearer tokens, one retry of idempotent GETs on
 * network failures and 502/503/504, problem+json errors as `ApiError`, and parsing every answer
 * with the wire schema the backend validates with.
 */

export interface ApiClientOptions {
  /** Base URL of the API including the version, e.g. `https://host/api/v1` or `/api/v1`. */
  readonly baseUrl: string;
  /** Bearer token for authenticated calls; null sends none (the API then answers 401). */
  readonly getToken: () => Promise<string | null>;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Wait before the single retry of an idempotent GET. Default 300 ms. */
  readonly retryDelayMs?: number;
}

/** Per-call options. */
export interface RequestOptions {
  /** Cancels the request (TanStack Query passes one). */
  readonly signal?: AbortSignal;
}

/** Problem types the client makes up itself when there is no server answer to carry. */
export const clientProblemTypes = {
  /** The request never got an HTTP answer (offline, DNS, CORS, connection reset). */
  network: "urn:smartcert:client:network",
  /** A 2xx answer whose body does not match the wire schema. */
  invalidResponse: "urn:smartcert:client:invalid-response",
} as const;

/** A failed API call. `problem` is the server's Problem, or one the client made up (see `clientProblemTypes`). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly problem: Problem;

  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(problem.title, options);
    this.problem = problem;
  }

  get type(): string {
    return this.problem.type;
  }

  get title(): string {
    return this.problem.title;
  }

  /** HTTP status; 0 when there was no HTTP answer. */
  get status(): number {
    return this.problem.status;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface Call<S extends z.ZodType> {
  readonly method: "GET" | "POST" | "PATCH" | "PUT";
  readonly path: string;
  readonly schema: S;
  readonly body?: unknown;
  readonly authenticated?: boolean;
  readonly signal?: AbortSignal | undefined;
}

const retryableStatuses = new Set([502, 503, 504]);

export interface Requester {
  /** A JSON call whose answer is parsed with `call.schema`. */
  readonly request: <S extends z.ZodType>(call: Call<S>) => Promise<z.output<S>>;
  /** A call whose answer is returned as text (e.g. an SVG image). */
  readonly requestText: (call: Omit<Call<z.ZodType>, "schema">) => Promise<string>;
  /** The absolute URL of an API path, and the bearer token, for transports other than fetch (uploads). */
  readonly url: (path: string) => string;
  readonly token: () => Promise<string | null>;
}

export function createRequester(options: ApiClientOptions): Requester {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const retryDelayMs = options.retryDelayMs ?? 300;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(call: Omit<Call<z.ZodType>, "schema">): Promise<Response> {
    const headers = new Headers({ accept: `application/json, ${PROBLEM_CONTENT_TYPE}` });
    if (call.authenticated !== false) {
      const token = await options.getToken();
      if (token !== null) headers.set("authorization", `Bearer ${token}`);
    }
    if (call.body !== undefined) headers.set("content-type", "application/json");
    const init: RequestInit = { method: call.method, headers };
    if (call.body !== undefined) init.body = JSON.stringify(call.body);
    if (call.signal) init.signal = call.signal;
    return doFetch(`${baseUrl}${call.path}`, init);
  }

  async function answer(call: Omit<Call<z.ZodType>, "schema">): Promise<Response> {
    const attempts = call.method === "GET" ? 2 : 1;
    let response: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await send(call);
      } catch (error) {
        if (isAbort(error, call.signal)) throw error;
        if (attempt < attempts) {
          await delay(retryDelayMs, call.signal);
          continue;
        }
        throw new ApiError(
          { type: clientProblemTypes.network, title: "The SmartCert service could not be reached.", status: 0 },
          { cause: error },
        );
      }
      if (retryableStatuses.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        await delay(retryDelayMs, call.signal);
        continue;
      }
      break;
    }
    if (!response.ok) throw new ApiError(await readProblem(response));
    return response;
  }

  async function request<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>> {
    const response = await answer(call);
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(
        {
          type: clientProblemTypes.invalidResponse,
          title: "The SmartCert service sent an answer this version does not understand.",
          status: response.status,
          detail: `${call.method} ${call.path}: ${parsed.error.message}`,
        },
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  return {
    request,
    requestText: async (call) => (await answer(call)).text(),
    url: (path) => `${baseUrl}${path}`,
    token: () => options.getToken(),
  };
}

/** The Problem in a non-2xx answer, or a generic one when the body is not a Problem (a proxy's HTML page). */
async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = problemSchema.safeParse(json);
  if (parsed.success) return { ...parsed.data, status: response.status };
  return { type: "about:blank", title: response.statusText || `HTTP ${response.status}`, status: response.status };
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof DOMException && error.name === "AbortError");
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
