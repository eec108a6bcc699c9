import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { PROBLEM_CONTENT_TYPE, problemTypes, type Problem } from "../../shared/protocol/problem";

/**
 * Every error leaves the server as RFC 9457 problem+json with a stable `type`. Code throws
 * `ProblemError`; anything else becomes a 500 whose details stay in the log, never in the response.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(title);
    this.name = "ProblemError";
  }
}

export const problems = {
  unauthenticated: (detail?: string) =>
    new ProblemError(401, problemTypes.unauthenticated, "Sign-in required or the token is not valid", detail),
  notInvited: () =>
    new ProblemError(
      403,
      problemTypes.notInvited,
      "This account is not a member of any organization",
      "No pending invitation matches the verified email address of this sign-in. Ask an organization admin to invite you.",
    ),
  forbidden: (detail?: string) => new ProblemError(403, problemTypes.forbidden, "You do not have permission to do this", detail),
  notFound: (what = "The resource") => new ProblemError(404, problemTypes.notFound, `${what} was not found`),
  conflict: (title: string, detail?: string) => new ProblemError(409, problemTypes.conflict, title, detail),
  badRequest: (title: string, detail?: string) => new ProblemError(400, problemTypes.badRequest, title, detail),
};

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function statusTitle(status: number): { type: string; title: string } {
  switch (status) {
    case 413:
      return { type: problemTypes.payloadTooLarge, title: "The request body is too large" };
    case 415:
      return { type: problemTypes.badRequest, title: "Unsupported content type" };
    case 429:
      return { type: problemTypes.rateLimited, title: "Too many requests; slow down and retry later" };
    case 404:
      return { type: problemTypes.notFound, title: "Not found" };
    default:
      return status < 500
        ? { type: problemTypes.badRequest, title: "The request could not be processed" }
        : { type: problemTypes.internal, title: "Something went wrong on our side" };
  }
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { type: problemTypes.notFound, title: "Not found", status: 404, instance: request.url.split("?")[0] ?? "" }),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) {
      return sendProblem(reply, {
        type: error.type,
        title: error.title,
        status: error.status,
        ...(error.detail ? { detail: error.detail } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(reply, {
        type: problemTypes.validation,
        title: "The request is not valid",
        status: 400,
        detail: `Invalid ${error.validationContext ?? "request"}`,
        errors: error.validation.map((v) => ({
          path: v.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(root)",
          message: v.message ?? "invalid",
        })),
      });
    }
    const status = typeof error.statusCode === "number" && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
    }
    const { type, title } = statusTitle(status);
    // Fastify's own 4xx messages (bad JSON, empty body...) are safe and useful; 5xx details are not.
    const detail = status < 500 && error.message ? error.message : undefined;
    return sendProblem(reply, { type, title, status, ...(detail ? { detail } : {}) });
  });
}
