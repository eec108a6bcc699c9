import browser from "webextension-polyfill";
import { z } from "zod";
import { accountSchema } from "../common/messages";

/**
 * The signed-in session in `storage.session`: in memory in the browser, gone when the browser
 * closes, and (by Chrome's default access level) readable by extension pages and the service
 * worker only, never by content scripts. The service worker keeps nothing in its own memory: it
 * may be stopped between any two messages.
 */

const SESSION_KEY = "smartcert.session";
/** Set by sign-out so the next sign-in asks the provider for a fresh login. */
const PROMPT_LOGIN_KEY = "smartcert.promptLogin";
/** Treat a token as expired this long before its `exp`, so a request does not race the expiry. */
const EXPIRY_SKEW_MS = 30_000;

const sessionSchema = z.object({
  issuer: z.string(),
  idToken: z.string(),
  /** Epoch ms from the ID token's `exp`. */
  expiresAt: z.number(),
  account: accountSchema,
});
export type StoredSession = z.infer<typeof sessionSchema>;

/** The session while its token is valid; an expired or malformed one is removed. */
export async function readSession(now = Date.now()): Promise<StoredSession | null> {
  const stored = await browser.storage.session.get(SESSION_KEY);
  const parsed = sessionSchema.safeParse(stored[SESSION_KEY]);
  if (!parsed.success || parsed.data.expiresAt - EXPIRY_SKEW_MS <= now) {
    if (stored[SESSION_KEY] !== undefined) await browser.storage.session.remove(SESSION_KEY);
    return null;
  }
  return parsed.data;
}

export async function writeSession(session: StoredSession): Promise<void> {
  await browser.storage.session.set({ [SESSION_KEY]: session });
  await browser.storage.session.remove(PROMPT_LOGIN_KEY);
}

export async function clearSession(): Promise<void> {
  await browser.storage.session.remove(SESSION_KEY);
  await browser.storage.session.set({ [PROMPT_LOGIN_KEY]: true });
}

export async function shouldPromptLogin(): Promise<boolean> {
  const stored = await browser.storage.session.get(PROMPT_LOGIN_KEY);
  return stored[PROMPT_LOGIN_KEY] === true;
}
