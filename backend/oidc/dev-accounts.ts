// Accounts of the local (development/test only) OpenID provider.
//
// Two kinds exist: the configured accounts listed on the dev sign-in page, and "free-form" accounts
// made up on the spot from any email typed into that page. A free-form account's subject is derived
// from the lowercased email, so the same address always maps to the same user in the backend (which
// keys users by issuer + subject) across sign-ins and restarts of the provider.
import { createHash } from "node:crypto";

export interface DevAccount {
  sub: string;
  email: string;
  name: string;
}

// RFC 5321 caps a forward path at 256 octets including the angle brackets, so 254 for the address.
const MAX_EMAIL_LENGTH = 254;
// Deliberately loose (dev provider): one "@", something on both sides, no whitespace or control
// characters, and none of the characters that would make the value awkward in HTML or headers.
const EMAIL_SHAPE = /^[^\s@<>"'`\\]+@[^\s@<>"'`\\]+$/u;
// The free-form registry is in memory only; cap it so a script hammering the page cannot grow it
// without bound. Listed accounts do not count against the cap.
const MAX_FREE_FORM_ACCOUNTS = 10_000;

/** Trims and lowercases an email, or returns undefined when it does not look like an address. */
export function normalizeDevEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return undefined;
  // Control characters are already excluded by \s for the common ones; reject the rest explicitly.
  for (const char of email) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return undefined;
  }
  return EMAIL_SHAPE.test(email) ? email : undefined;
}

/** The subject of a free-form account: stable, opaque, and not the email itself (subjects outlive addresses). */
export function devSubjectForEmail(normalizedEmail: string): string {
  return `dev-${createHash("sha256").update(normalizedEmail, "utf8").digest("hex").slice(0, 32)}`;
}

/** A free-form account for an already normalized email; the display name is the local part. */
export function freeFormDevAccount(normalizedEmail: string): DevAccount {
  const at = normalizedEmail.lastIndexOf("@");
  return {
    sub: devSubjectForEmail(normalizedEmail),
    email: normalizedEmail,
    name: normalizedEmail.slice(0, at),
  };
}

/**
 * Resolves subjects to accounts for the provider's `findAccount`, and emails to accounts for the
 * sign-in page. A free-form email that matches a listed account's email signs in as that listed
 * account, so typing a demo user's address and pressing its button give the same subject.
 */
export class DevAccountDirectory {
  readonly #listed: readonly DevAccount[];
  readonly #bySub = new Map<string, DevAccount>();
  readonly #listedByEmail = new Map<string, DevAccount>();
  readonly #freeForm = new Map<string, DevAccount>();

  constructor(accounts: readonly DevAccount[]) {
    for (const account of accounts) {
      const email = normalizeDevEmail(account.email);
      if (!email) throw new Error(`Local OpenID provider: account ${JSON.stringify(account.sub)} has an invalid email`);
      if (account.sub.trim() === "" || account.name.trim() === "") {
        throw new Error(`Local OpenID provider: account ${JSON.stringify(account.email)} needs a sub and a name`);
      }
      if (this.#bySub.has(account.sub)) {
        throw new Error(`Local OpenID provider: duplicate account sub ${JSON.stringify(account.sub)}`);
      }
      if (this.#listedByEmail.has(email)) {
        throw new Error(`Local OpenID provider: duplicate account email ${JSON.stringify(email)}`);
      }
      // Copy, so later mutation of the caller's array or objects cannot change who signs in as whom.
      const stored: DevAccount = { sub: account.sub, email, name: account.name };
      this.#bySub.set(stored.sub, stored);
      this.#listedByEmail.set(email, stored);
    }
    this.#listed = [...this.#bySub.values()];
  }

  /** The accounts shown as buttons on the sign-in page, in configuration order. */
  get listed(): readonly DevAccount[] {
    return this.#listed;
  }

  /** A listed account by subject (the buttons post the subject, never a free-form value). */
  listedBySub(sub: string): DevAccount | undefined {
    return this.#bySub.get(sub);
  }

  /** Any account the provider has issued tokens for in this process, by subject. */
  findBySub(sub: string): DevAccount | undefined {
    return this.#bySub.get(sub) ?? this.#freeForm.get(sub);
  }

  /**
   * The account to sign in as for a typed email: the listed account with that email, otherwise a
   * free-form one (remembered so `findAccount` can answer for it at the token and userinfo endpoints).
   */
  accountForEmail(rawEmail: string): DevAccount | undefined {
    const email = normalizeDevEmail(rawEmail);
    if (!email) return undefined;
    const listed = this.#listedByEmail.get(email);
    if (listed) return listed;
    const account = freeFormDevAccount(email);
    if (!this.#freeForm.has(account.sub) && this.#freeForm.size >= MAX_FREE_FORM_ACCOUNTS) {
      // Maps iterate in insertion order: drop the oldest free-form account.
      const oldest = this.#freeForm.keys().next();
      if (oldest.done !== true) this.#freeForm.delete(oldest.value);
    }
    this.#freeForm.set(account.sub, account);
    return account;
  }
}
