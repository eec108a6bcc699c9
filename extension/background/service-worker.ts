import browser, { type Runtime } from "webextension-polyfill";
import type { WorkerRequest } from "../common/messages";
import { admitMessage } from "./message-gate";
import { clearSession, readSession } from "./session-store";
import { signInInteractively } from "./sign-in";

/**
 * The service worker: the only place that signs in and hands out tokens. It holds nothing in
 * memory between messages (Chrome stops it at will); the session lives in `storage.session`.
 *
 * Every message passes `admitMessage` (message-gate.ts) first: parsed with its schema, sender
 * checked. Anything else is dropped and logged (the message type only, never its content).
 */

const gate = { extensionId: browser.runtime.id, sidebarUrl: browser.runtime.getURL("sidebar.html") };

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case "auth/get-token":
      return { token: (await readSession())?.idToken ?? null };
    case "auth/get-account":
      return { account: (await readSession())?.account ?? null };
    case "auth/sign-in":
      try {
        return { outcome: await signInInteractively({ forceAccountChoice: request.forceAccountChoice ?? false }) };
      } catch (error) {
        const reason = describeSignInError(error);
        console.warn(`SmartCert: sign-in failed: ${reason}`);
        return { error: reason };
      }
    case "auth/sign-out":
      await clearSession();
      return { ok: true };
    case "diagnostics/view-miss":
      // The log an engineer reads when Gmail changed its DOM (chrome://extensions → service worker).
      console.warn(`SmartCert: could not read the Gmail ${request.view} view: ${request.reason}`);
      return { ok: true };
  }
}

/** The provider's OAuth error code and description when there is one (never tokens or codes). */
function describeSignInError(error: unknown): string {
  if (!(error instanceof Error)) return "Sign-in failed.";
  const oauthError = error as Error & { error?: unknown; error_description?: unknown };
  const details = [oauthError.error, oauthError.error_description].filter((part) => typeof part === "string");
  return details.length > 0 ? `${error.message} (${details.join(": ")})` : error.message;
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const decision = admitMessage(message, sender, gate);
  if (!decision.accept) {
    console.warn(`SmartCert: ${decision.reason}`);
    return undefined;
  }
  return handle(decision.request);
});
