// HTML of the local OpenID provider: the dev sign-in page, and the few pages oidc-provider itself
// renders (errors, the sign-out confirmation). Plain server-rendered forms, so that they work without
// JavaScript and under a strict Content-Security-Policy: there is no script at all, and the one inline
// stylesheet is allowed by its hash rather than by 'unsafe-inline'.
//
// Every interpolated value goes through escapeHtml: emails and names come from configuration or from
// whatever someone typed, client ids and error descriptions from request parameters.
import { createHash } from "node:crypto";
import type { DevAccount } from "./dev-accounts";
import { escapeHtml, htmlDocument } from "../http/html-page";

const STYLE = [
  "body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}",
  ".warning{border:2px solid #a15c00;background:#fff4e0;padding:.5rem .75rem}",
  "ul{list-style:none;padding:0}li{margin:.5rem 0}",
  "button{font:inherit;padding:.35rem .9rem;cursor:pointer}",
  "input{font:inherit;padding:.3rem;width:16rem;max-width:100%}",
  ".email{color:#555;margin-left:.5rem}.error{color:#a00000;font-weight:600}",
].join("");

const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE, "utf8").digest("base64")}'`;


/**
 * The Content-Security-Policy of every page the local provider serves. It replaces helmet's default
 * policy on those responses because that one (a) has `form-action 'self'`, which in Chromium also
 * governs the redirects that follow a form submission, and signing in ends in a redirect to the
 * client's redirect URI on another origin; and (b) has `upgrade-insecure-requests`, which breaks a
 * plain-http dev issuer on any host other than localhost. `script-src 'self'` allows no inline
 * script; it is present so that oidc-provider can append the hash of the one inline script it
 * emits itself (the form_post response mode).
 */
export function devPagesContentSecurityPolicy(formActionOrigins: readonly string[]): string {
  const formAction = ["'self'", ...new Set(formActionOrigins)].join(" ");
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${STYLE_HASH}`,
    "img-src 'self' data:",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

export interface DevLoginPageModel {
  /** Where both kinds of form post to (the interaction URL). */
  action: string;
  clientId: string;
  accounts: readonly DevAccount[];
  /** Shown above the forms, e.g. after an invalid email. */
  error?: string | undefined;
  /** Pre-fills the free-form email field (after an error). */
  email?: string | undefined;
}

export function renderDevLoginPage(model: DevLoginPageModel): string {
  const action = escapeHtml(model.action);
  const accountItems = model.accounts
    .map((account, index) => {
      const emailId = `account-${index}-email`;
      return `<li><form method="post" action="${action}">
<input type="hidden" name="sub" value="${escapeHtml(account.sub)}">
<button type="submit" aria-describedby="${emailId}">Sign in as ${escapeHtml(account.name)}</button>
<span class="email" id="${emailId}">${escapeHtml(account.email)}</span>
</form></li>`;
    })
    .join("\n");
  const accounts =
    model.accounts.length > 0
      ? `<section aria-labelledby="accounts-heading"><h2 id="accounts-heading">Demo accounts</h2>\n<ul>\n${accountItems}\n</ul></section>`
      : "";
  const error = model.error ? `<p class="error" role="alert">${escapeHtml(model.error)}</p>` : "";
  const body = `<h1>SmartCert dev sign-in</h1>
<p class="warning" role="note"><strong>Development provider.</strong> This is the local OpenID provider for development and tests. Anyone can sign in as anyone here, without a password. It never runs in production.</p>
<p>Signing in to <code>${escapeHtml(model.clientId)}</code>.</p>
${error}
${accounts}
<section aria-labelledby="other-heading"><h2 id="other-heading">Sign in as another email</h2>
<form method="post" action="${action}">
<p><label for="email">Email</label>
<input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="${escapeHtml(model.email ?? "")}"></p>
<p><button type="submit">Sign in</button></p>
</form></section>`;
  return page("SmartCert dev sign-in", body);
}

/** A page for problems the user can fix by starting over (expired or unknown sign-in request). */
export function renderDevMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/** oidc-provider's `renderError`: the OAuth error code and description only, no stack or internals. */
export function renderProviderErrorPage(error: string, description: string | undefined): string {
  const detail = description ? `<p>${escapeHtml(description)}</p>` : "";
  return page(
    "Sign-in error",
    `<h1>Sign-in error</h1>\n<p><code>${escapeHtml(error)}</code></p>\n${detail}`,
  );
}

/**
 * oidc-provider's `logoutSource`. `providerFormHtml` is the provider's own hidden form (with its
 * anti-forgery secret); it is trusted markup and inserted as is. The buttons submit it by id, and
 * the `logout` field decides between signing out and staying signed in.
 */
export function renderLogoutPage(providerFormHtml: string): string {
  return page(
    "Sign out",
    `<h1>Sign out of the SmartCert dev provider?</h1>
${providerFormHtml}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button></p>`,
  );
}

/** oidc-provider's `postLogoutSuccessSource`. */
export function renderLoggedOutPage(): string {
  return page("Signed out", "<h1>Signed out</h1>\n<p>You are signed out of the SmartCert dev provider.</p>");
}

function page(title: string, body: string): string {
  return htmlDocument({ title, body, style: STYLE });
}
