import { createHash } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { MailboxProvider } from "../../shared/protocol/sync";
import { escapeHtml, htmlDocument } from "../http/html-page";

/**
 * The pages the provider's redirect lands on: small, self-contained HTML with nothing to load. The
 * one inline style and the one inline script are allowed by hash in a CSP that allows nothing else,
 * the page is never cached and never sends a Referer (its URL carried the code and state). The text
 * is plain and never includes what the provider sent, apart from a checked error code.
 */
export const PROVIDER_NAMES: Record<MailboxProvider, string> = { graph: "Microsoft 365", gmail: "Gmail" };

const STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.4rem}";
// A window the pane opened with window.open may close itself; other windows ignore the call.
const SCRIPT = "setTimeout(function(){window.close()},3000);";
const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const CSP = [
  "default-src 'none'",
  // Only the empty data: icon, which keeps the browser from asking for /favicon.ico.
  "img-src data:",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export type CallbackOutcome =
  | { kind: "connected"; provider: MailboxProvider }
  | { kind: "invalid-state" }
  | { kind: "denied"; provider: MailboxProvider }
  | { kind: "provider-error"; provider: MailboxProvider; code: string }
  | { kind: "refused"; provider: MailboxProvider; reason: string }
  | { kind: "unavailable"; provider: MailboxProvider }
  | { kind: "failed" };

const AGAIN = "Start again from SmartCert: Settings → Mailbox sync.";

function content(outcome: CallbackOutcome): { status: number; title: string; lines: string[] } {
  switch (outcome.kind) {
    case "connected":
      return { status: 200, title: `${PROVIDER_NAMES[outcome.provider]} is connected`, lines: ["SmartCert will now file the SmartCert links you receive.", "You can close this window and return to SmartCert."] };
    case "invalid-state":
      return { status: 400, title: "This link has expired or was already used", lines: ["Nothing was connected.", AGAIN] };
    case "denied":
      return { status: 403, title: `${PROVIDER_NAMES[outcome.provider]} was not connected`, lines: ["Access was not allowed, so nothing was connected.", AGAIN] };
    case "provider-error":
      return { status: 400, title: `${PROVIDER_NAMES[outcome.provider]} was not connected`, lines: [`The provider answered with the error “${outcome.code}”. Nothing was connected.`, AGAIN] };
    case "refused":
      return { status: 400, title: `${PROVIDER_NAMES[outcome.provider]} was not connected`, lines: [`${outcome.reason} Nothing was connected.`, AGAIN] };
    case "unavailable":
      return { status: 502, title: `${PROVIDER_NAMES[outcome.provider]} could not be reached`, lines: ["Nothing was connected. Try again in a few minutes.", AGAIN] };
    case "failed":
      return { status: 500, title: "Something went wrong on our side", lines: ["The mailbox may not be connected. Try again in a few minutes.", AGAIN] };
  }
}

export function sendCallbackPage(reply: FastifyReply, outcome: CallbackOutcome): FastifyReply {
  const { status, title, lines } = content(outcome);
  const html = htmlDocument({
    title,
    style: STYLE,
    body: `<h1>${escapeHtml(title)}</h1>\n${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}`,
    ...(outcome.kind === "connected" ? { script: SCRIPT } : {}),
  });
  return reply
    .status(status)
    .headers({ "content-security-policy": CSP, "cache-control": "no-store", "referrer-policy": "no-referrer", "x-content-type-options": "nosniff" })
    .type("text/html; charset=utf-8")
    .send(html);
}
