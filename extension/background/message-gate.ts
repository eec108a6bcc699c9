import type { Runtime } from "webextension-polyfill";
import { workerRequestSchema, type WorkerRequest } from "../common/messages";

/**
 * Decides whether the service worker answers a runtime message: it must parse as a
 * `WorkerRequest`, and come from the right part of this extension. Token and sign-in requests are
 * answered only for the extension's own sidebar page, never for content scripts (which run inside
 * Gmail's renderer process); view-miss reports only from the content script on Gmail. Pure, so
 * the rules are unit-tested without a browser.
 */

export interface GateContext {
  /** `runtime.id` */
  readonly extensionId: string;
  /** `runtime.getURL("sidebar.html")` */
  readonly sidebarUrl: string;
}

export type GateDecision =
  | { readonly accept: true; readonly request: WorkerRequest }
  /** `reason` is safe to log: it names the message type at most, never its content. */
  | { readonly accept: false; readonly reason: string };

const GMAIL_ORIGIN = "https://mail.google.com";

export function admitMessage(message: unknown, sender: Runtime.MessageSender, context: GateContext): GateDecision {
  const parsed = workerRequestSchema.safeParse(message);
  if (!parsed.success) return { accept: false, reason: "dropped a malformed message." };
  const request = parsed.data;
  const allowed = request.type === "diagnostics/view-miss" ? fromGmailContentScript(sender, context) : fromSidebar(sender, context);
  return allowed ? { accept: true, request } : { accept: false, reason: `dropped ${request.type} from an unexpected sender.` };
}

function fromSidebar(sender: Runtime.MessageSender, context: GateContext): boolean {
  return sender.id === context.extensionId && typeof sender.url === "string" && sender.url.split("#")[0] === context.sidebarUrl;
}

function fromGmailContentScript(sender: Runtime.MessageSender, context: GateContext): boolean {
  return sender.id === context.extensionId && sender.tab !== undefined && typeof sender.url === "string" && URL.parse(sender.url)?.origin === GMAIL_ORIGIN;
}
