import { z } from "zod";

/** Public configuration the pane reads before sign-in: which OpenID provider to use and how. */
export const clientConfigSchema = z
  .object({
    apiBase: z.string(),
    oidc: z.object({
      issuer: z.url(),
      clientId: z.string(),
      scopes: z.array(z.string()),
    }),
  })
  .meta({ id: "ClientConfig" });
export type ClientConfig = z.infer<typeof clientConfigSchema>;
