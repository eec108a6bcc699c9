import browser, { type Runtime } from "webextension-polyfill";
import { workerRequestSchema, type WorkerRequest } from "../common/messages";
import { clearSession, readSession } from "./session-store";
import { signInInteractively } from "./sign-in";

/**
 * The service worker: the only place that signs in and hands out tokens. It holds nothing in
 * memory between messages (Chrome stops it at will); the session lives in `storage.session`.
 *
 * Every message is parsed with its schema and its sender checked: token and sign-in requests are
 * answered only for the extension's own sidebar page, never for content scripts (which run inside
 * Gmail's renderer); view-miss reports are accepted only from the content script on Gmail.
 * Anything else is dropped and logged (the message type only, never its content).
 */

const SIDEBAR_URL = browser.runtime.getURL("sidebar.html");
const GMAIL_ORIGIN = "https://mail.google.com";

function fromSidebar(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === "string" && sender.url.split("#")[0] === SIDEBAR_URL;
}

function fromGmailContentScript(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && sender.tab !== undefined && typeof sender.url === "string" && URL.parse(sender.url)?.origin === GMAIL_ORIGIN;
}

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
  const parsed = workerRequestSchema.safeParse(message);
  if (!parsed.success) {
    console.warn("SmartCert: dropped a malformed message.");
    return undefined;
  }
  const request = parsed.data;
  const allowed = request.type === "diagnostics/view-miss" ? fromGmailContentScript(sender) : fromSidebar(sender);
  if (!allowed) {
    console.warn(`SmartCert: dropped ${request.type} from an unexpected sender.`);
    return undefined;
  }
  return handle(request);
});
