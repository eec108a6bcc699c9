import { z } from "zod";

/**
 * RFC 9457 problem details. `type` is a stable URN per kind of problem so clients can branch on it
 * without parsing human text; `title` is the human sentence the pane shows.
 */
export const PROBLEM_TYPE_PREFIX = "urn:smartcert:problem:";

export const problemTypes = {
  badRequest: `${PROBLEM_TYPE_PREFIX}bad-request`,
  validation: `${PROBLEM_TYPE_PREFIX}validation`,
  unauthenticated: `${PROBLEM_TYPE_PREFIX}unauthenticated`,
  notInvited: `${PROBLEM_TYPE_PREFIX}not-invited`,
  forbidden: `${PROBLEM_TYPE_PREFIX}forbidden`,
  notFound: `${PROBLEM_TYPE_PREFIX}not-found`,
  conflict: `${PROBLEM_TYPE_PREFIX}conflict`,
  expired: `${PROBLEM_TYPE_PREFIX}expired`,
  payloadTooLarge: `${PROBLEM_TYPE_PREFIX}payload-too-large`,
  rateLimited: `${PROBLEM_TYPE_PREFIX}rate-limited`,
  unavailable: `${PROBLEM_TYPE_PREFIX}unavailable`,
  internal: `${PROBLEM_TYPE_PREFIX}internal`,
} as const;

export type ProblemType = (typeof problemTypes)[keyof typeof problemTypes];

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    /** Field-level messages for validation problems. */
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
