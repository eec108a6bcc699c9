import type { LoggerOptions } from "pino";
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/**
 * Logs never carry credentials or content keys. pino's path-based `redact` cannot express "any
 * field whose name mentions token, key or secret", so a formatter walks each log object and
 * replaces such values, at any depth, before it is written.
 */
const SENSITIVE_NAME = /token|key|secret|password|authorization|cookie|passphrase|credential/i;
export const REDACTED = "[redacted]";
const MAX_DEPTH = 6;

export function redactSensitive(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactSensitive(v, depth + 1));
  // pino runs this formatter before its serializers: class instances (requests, replies, errors)
  // are left whole for the serializers below, which pick safe fields; plain objects are walked.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    out[name] = SENSITIVE_NAME.test(name) ? REDACTED : redactSensitive(v, depth + 1);
  }
  return out;
}

/**
 * Request URLs may carry one-time codes or signed parameters: keep the path, drop the query. A
 * public-link path (`/p/<token>`) carries a capability in the path itself, so its token goes too.
 */
export function loggablePath(url: string | undefined): string | undefined {
  // /p/<token> is a public link's capability; /m/<id>#<key> can arrive mangled as /m/<id>%23<key>
  // (mail filters re-encode links), which would put a message key into the path.
  return url?.split("?")[0]?.replace(/^\/p\/[^/]+/, "/p/[redacted]").replace(/^\/m\/.*/, "/m/[redacted]");
}

export function loggerOptions(level: LoggerOptions["level"]): LoggerOptions {
  return {
    level: level ?? "info",
    formatters: { log: (object) => redactSensitive(object) as Record<string, unknown> },
    serializers: {
      // originalUrl: a mounted sub-application (the OpenID provider under /oidc) rewrites `url`
      // before the request completes, and the log should show the path the client asked for.
      req: (req: { method?: string; url?: string; originalUrl?: string; id?: string }) => ({ id: req.id, method: req.method, url: loggablePath(req.originalUrl ?? req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * One log line per request instead of Fastify's two ("incoming request" + "request completed"):
 * the completion line carries the request's method and path too, so nothing is lost, and on the
 * API's hot path the second line was a tenth of the server's CPU (pino formatting + a write per
 * line; docs/adr/0004). Error lines are unchanged.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // Deliberately silent: requestCompleted logs the request.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, "request errored");
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
