import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { LOCAL_OIDC_CLIENT_ID, LOCAL_OIDC_PATH, type AppConfig } from "../config";
import { DEMO_USERS } from "../seed/demo-data";
import { registerLocalOidcProvider } from "./local-provider";

/** Where the message reader's sign-in returns (shared/reader/sign-in.ts); an external issuer needs `${PUBLIC_URL}` + this registered. */
export const READER_REDIRECT_PATH = "/m/signed-in";

/**
 * `chrome.identity.getRedirectURL()` of the development Gmail extension, whose id is fixed by the
 * public `key` in chrome-manifest.json (tests/unit/extension-manifest.test.ts keeps them in step).
 */
export const DEV_EXTENSION_REDIRECT_URI = "https://nhandgimipmpebjeeiakalnffofbppba.chromiumapp.org/";

/**
 * Wires the bundled development OpenID provider into the app: issuer under /oidc of the public
 * URL, the pane as its public client, the demo people on its sign-in page.
 */
export async function registerDevIdentityProvider(app: FastifyInstance, config: AppConfig): Promise<void> {
  await registerLocalOidcProvider(app, {
    issuer: `${config.publicUrl}${LOCAL_OIDC_PATH}`,
    keysDir: path.join(config.dataDir, "keys", "oidc"),
    // The Gmail extension signs in as the same client (so its ID tokens carry the audience the
    // backend accepts), redirecting to its chrome.identity URL (docs/GMAIL.md).
    // The Outlook add-in signs in through an Office dialog that returns to its own page (docs/OUTLOOK.md).
    // The message reader signs recipients in and returns to READER_REDIRECT_PATH (docs/MESSAGES.md).
    // With OIDC_CLIENT_SECRET_FILE set the client is confidential, as Google's are, and codes are
    // redeemed through the backend's code exchange (docs/GMAIL.md).
    clients: [
      {
        clientId: LOCAL_OIDC_CLIENT_ID,
        redirectUris: [`${config.publicUrl}/`, DEV_EXTENSION_REDIRECT_URI, `${config.publicUrl}/addin/auth-dialog.html`, `${config.publicUrl}${READER_REDIRECT_PATH}`],
        clientSecret: config.codeExchange ? readFileSync(config.codeExchange.clientSecretFile, "utf8").trim() : undefined,
      },
    ],
    accounts: DEMO_USERS.map((u) => ({ sub: u.sub, email: u.email, name: u.displayName })),
    nodeEnv: config.nodeEnv,
  });
}
