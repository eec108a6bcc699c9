import { problemSchema } from "../../shared/protocol/problem";

/** Response schemas and security requirement shared by every authenticated route. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  429: problemSchema,
};

export const secured = [{ bearerAuth: [] }];
