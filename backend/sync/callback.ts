import type { FastifyBaseLogger } from "fastify";
import { mailboxCallbackQuerySchema } from "../../shared/protocol/sync";
import { ProblemError } from "../http/problem";
import type { OrganizationRepository } from "../orgs/repository";
import type { MailboxAuthorizations } from "./authorization";
import type { CallbackOutcome } from "./callback-page";
import type { SyncService } from "./sync-service";

/**
 * The second half of connecting a mailbox: the provider sent the user's browser back with `code`
 * and `state` (or `error`). No bearer token comes with it, so `state` is the only credential: it is
 * consumed first, whatever else the request says, and everything after runs as the user it was
 * issued to. The code is exchanged through the same service path as `connectMailbox` (sealed
 * refresh token, sync queued). Nothing of the query reaches a log: only outcome names.
 */
/** A title or detail as a sentence for the page ("…" → "….", left alone when it already ends one). */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

// RFC 6749 error codes are ASCII words; anything else is not shown back to the user.
const ERROR_CODE = /^[a-z_]{1,64}$/;

type Deps = { authorizations: MailboxAuthorizations; service: SyncService; orgs: OrganizationRepository; log: FastifyBaseLogger };

export async function completeAuthorization(query: unknown, deps: Deps): Promise<CallbackOutcome> {
  try {
    return await complete(query, deps);
  } catch (failure) {
    // A person is looking at this page: an unexpected failure (the database) still gets a page.
    deps.log.error({ error: failure instanceof Error ? failure.name : "unknown" }, "mailbox authorization callback failed unexpectedly");
    return { kind: "failed" };
  }
}

async function complete(query: unknown, deps: Deps): Promise<CallbackOutcome> {
  const parsed = mailboxCallbackQuerySchema.safeParse(query);
  if (!parsed.success || parsed.data.state === undefined) return { kind: "invalid-state" };
  const pending = await deps.authorizations.take(parsed.data.state);
  if (!pending) return { kind: "invalid-state" };
  const { provider } = pending;
  const { error, code } = parsed.data;
  if (error === "access_denied") return { kind: "denied", provider };
  if (error !== undefined) return { kind: "provider-error", provider, code: ERROR_CODE.test(error) ? error : "unknown" };
  if (code === undefined) return { kind: "provider-error", provider, code: "no_code" };
  const user = await deps.orgs.getUser(pending.orgId, pending.userId);
  if (!user) return { kind: "invalid-state" };
  try {
    await deps.service.connect(user, { provider, code, redirectUri: deps.authorizations.redirectUri, codeVerifier: pending.codeVerifier });
    return { kind: "connected", provider };
  } catch (failure) {
    if (failure instanceof ProblemError && failure.status < 500) return { kind: "refused", provider, reason: sentence(failure.detail ?? failure.title) };
    deps.log.warn({ provider, error: failure instanceof Error ? failure.name : "unknown" }, "mailbox authorization callback failed");
    return { kind: "unavailable", provider };
  }
}
