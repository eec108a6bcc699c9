import { isApiError } from "../../shared/api/client";

/** One short reason for a notification: the API's problem title, or the error's message. Never a token or item content. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return error.problem.title;
  if (error instanceof Error && error.message) return error.message;
  return "unknown error";
}
