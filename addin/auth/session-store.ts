import { z } from "zod";
import type { HostAccount } from "../../shared/host/host";

/**
 * Where the add-in keeps its sign-in: the ID token (the bearer the SmartCert API accepts), its
 * expiry and the account, in the add-in origin's localStorage. Never in Office roaming settings
 * (those sync to the mailbox and every device). localStorage rather than sessionStorage because
 * the task pane and the "Share cert" function file are separate pages of the same origin and both
 * need it; ID tokens are short-lived (the expiry is checked on every read) and sign-out removes it.
 */
export const SESSION_KEY = "smartcert.outlook.session";
/** Set by sign-out so the next sign-in asks the provider instead of reusing its session. */
export const PROMPT_LOGIN_KEY = "smartcert.outlook.prompt-login";

/** A token this close to expiry is treated as expired, so a request does not race it. */
const expirySkewMs = 30_000;

export const storedSessionSchema = z.object({
  idToken: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  account: z.object({ subject: z.string(), email: z.string().optional(), name: z.string().optional() }),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export class SessionStore {
  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem">,
    private readonly now: () => number = Date.now,
  ) {}

  read(): StoredSession | null {
    const raw = this.storage.getItem(SESSION_KEY);
    if (raw === null) return null;
    let parsed: z.ZodSafeParseResult<StoredSession>;
    try {
      parsed = storedSessionSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = { success: false } as z.ZodSafeParseResult<StoredSession>;
    }
    if (!parsed.success || parsed.data.expiresAt - expirySkewMs <= this.now()) {
      this.storage.removeItem(SESSION_KEY);
      return null;
    }
    return parsed.data;
  }

  write(session: StoredSession): void {
    this.storage.setItem(SESSION_KEY, JSON.stringify(session));
    this.storage.removeItem(PROMPT_LOGIN_KEY);
  }

  clear(): void {
    this.storage.removeItem(SESSION_KEY);
    this.storage.setItem(PROMPT_LOGIN_KEY, "1");
  }

  get promptLogin(): boolean {
    return this.storage.getItem(PROMPT_LOGIN_KEY) !== null;
  }

  account(): HostAccount | null {
    return this.read()?.account ?? null;
  }
}

/** The `exp` claim of a JWT (already validated by whoever obtained it) in epoch milliseconds. */
export function jwtExpiry(token: string): number {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new Error("not a JWT");
  const claims = z.object({ exp: z.number() }).parse(JSON.parse(atob(payload.replace(/-/gu, "+").replace(/_/gu, "/"))));
  return claims.exp * 1000;
}
