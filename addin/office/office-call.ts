import { HostError } from "../../shared/host/host";
import { officeEnums } from "./enums";

/**
 * Office.js reports results through callbacks with an `AsyncResult`. This turns one such call into
 * a promise, and a failed result into a `HostError` ("failed") that keeps Office's error as cause.
 * The message names what was attempted, never item content.
 */
export function officeCall<T>(what: string, invoke: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        if (result.status === officeEnums.succeeded) resolve(result.value);
        else reject(new HostError("failed", `Outlook could not ${what}: ${result.error.message}`, { cause: result.error }));
      });
    } catch (error) {
      // Office.js throws synchronously on bad arguments (e.g. a string over its limit).
      reject(new HostError("failed", `Outlook could not ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    }
  });
}
