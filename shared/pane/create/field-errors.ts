import { isApiError } from "../../api/client";
import { problemTypes } from "../../protocol/problem";

/**
 * The server's validation messages (`errors[]` of a validation Problem) by top-level field:
 * `poNumbers.0` → `poNumbers`. Several messages for one field are joined.
 */
export function fieldErrors(error: unknown): Readonly<Record<string, string>> {
  if (!isApiError(error) || error.type !== problemTypes.validation) return {};
  const byField: Record<string, string> = {};
  for (const { path, message } of error.problem.errors ?? []) {
    const field = path.split(".")[0] ?? path;
    byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
  }
  return byField;
}
