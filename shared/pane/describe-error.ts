import type { ApiError, clientProblemTypes } from "../api/client";
import { isHostError } from "../host/host";
import type { problemTypes } from "../protocol/problem";
import { ViewLoadError } from "./shell/view-load-error";
import type { Strings } from "./strings";

/** How the pane presents a failure: a sentence, optional detail, and the way forward. */
export interface ErrorPresentation {
  readonly title: string;
  readonly detail?: string;
  readonly action: "retry" | "sign-in";
}

/*
 * The problem types and the error class are known here by value only, with the compiler holding
 * each value to the real constant: importing them would pull the API client's wire schemas (zod,
 * ~30 KB gzip) into the pane's first paint, which must show sign-in errors without them.
 */
const networkType: (typeof clientProblemTypes)["network"] = "urn:smartcert:client:network";
const invalidResponseType: (typeof clientProblemTypes)["invalidResponse"] = "urn:smartcert:client:invalid-response";
const unauthenticatedType: (typeof problemTypes)["unauthenticated"] = "urn:smartcert:problem:unauthenticated";
const apiErrorName: ApiError["name"] = "ApiError";

/** `isApiError` without importing the client (see above). */
export function isApiErrorLike(error: unknown): error is ApiError {
  return error instanceof Error && error.name === apiErrorName && "problem" in error;
}

export function describeError(error: unknown, strings: Strings): ErrorPresentation {
  if (isApiErrorLike(error)) {
    switch (error.type) {
      case networkType:
        return { title: strings.errors.network, action: "retry" };
      case invalidResponseType:
        return { title: strings.errors.invalidResponse, action: "retry" };
      case unauthenticatedType:
        return { title: strings.errors.sessionExpired, action: "sign-in" };
      default:
        return { title: error.title, ...(error.problem.detail ? { detail: error.problem.detail } : {}), action: "retry" };
    }
  }
  // The mailbox refused (e.g. the email is no longer selected): its message says why.
  if (isHostError(error)) return { title: error.message, action: "retry" };
  if (error instanceof ViewLoadError) return { title: strings.errors.viewLoadFailed, action: "retry" };
  if (error instanceof Error && error.name === "OidcError") {
    return { title: strings.errors.signInFailed, detail: error.message, action: "sign-in" };
  }
  return { title: strings.errors.unexpected, action: "retry" };
}
