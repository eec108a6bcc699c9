import { clientProblemTypes, isApiError } from "../api/client";
import { isHostError } from "../host/host";
import { problemTypes } from "../protocol/problem";
import type { Strings } from "./strings";

/** How the pane presents a failure: a sentence, optional detail, and the way forward. */
export interface ErrorPresentation {
  readonly title: string;
  readonly detail?: string;
  readonly action: "retry" | "sign-in";
}

export function describeError(error: unknown, strings: Strings): ErrorPresentation {
  if (isApiError(error)) {
    switch (error.type) {
      case clientProblemTypes.network:
        return { title: strings.errors.network, action: "retry" };
      case clientProblemTypes.invalidResponse:
        return { title: strings.errors.invalidResponse, action: "retry" };
      case problemTypes.unauthenticated:
        return { title: strings.errors.sessionExpired, action: "sign-in" };
      default:
        return { title: error.title, ...(error.problem.detail ? { detail: error.problem.detail } : {}), action: "retry" };
    }
  }
  // The mailbox refused (e.g. the email is no longer selected): its message says why.
  if (isHostError(error)) return { title: error.message, action: "retry" };
  if (error instanceof Error && error.name === "OidcError") {
    return { title: strings.errors.signInFailed, detail: error.message, action: "sign-in" };
  }
  return { title: strings.errors.unexpected, action: "retry" };
}
