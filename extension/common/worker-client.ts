import browser from "webextension-polyfill";
import { workerResponseSchemas, type WorkerRequest, type WorkerResponse } from "./messages";

/** Sends one typed request to the service worker and validates its answer. */
export async function askWorker<T extends WorkerRequest>(request: T): Promise<WorkerResponse<T["type"]>> {
  const answer: unknown = await browser.runtime.sendMessage(request);
  const schema = workerResponseSchemas[request.type];
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new Error(`The extension's service worker gave an unexpected answer to ${request.type}.`);
  return parsed.data as WorkerResponse<T["type"]>;
}
