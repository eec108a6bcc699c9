import { z } from "zod";

/**
 * Sync settings from the environment (read by backend/config.ts at start-up). A provider is on only
 * when its OAuth client id and secret are set; base URLs are configurable so tests and staging can
 * point the real client libraries at other servers.
 */
export interface ProviderSettings {
  baseUrl: string;
  /** Where the user's browser is sent to consent (the provider's authorization endpoint). */
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface SyncConfig {
  /** Sync key file; undefined → DATA_DIR/keys/sync.key, created on first start. */
  syncKeyFile: string | undefined;
  intervalMs: number;
  graph: ProviderSettings | undefined;
  gmail: ProviderSettings | undefined;
  /** Google's token revocation endpoint, called on disconnect (Graph has no per-token revocation). */
  googleRevokeUrl: string;
}

const env = z.object({
  SYNC_KEY_FILE: z.string().min(1).optional(),
  SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  GRAPH_BASE_URL: z.url().default("https://graph.microsoft.com"),
  GRAPH_AUTHORIZE_URL: z.url().default("https://login.microsoftonline.com/common/oauth2/v2.0/authorize"),
  GRAPH_TOKEN_URL: z.url().default("https://login.microsoftonline.com/common/oauth2/v2.0/token"),
  GRAPH_CLIENT_ID: z.string().min(1).optional(),
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  GMAIL_BASE_URL: z.url().default("https://gmail.googleapis.com"),
  GOOGLE_AUTHORIZE_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  GOOGLE_REVOKE_URL: z.url().default("https://oauth2.googleapis.com/revoke"),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
});

/** Throws `{variable, message}` for config.ts to turn into its ConfigError. */
export function loadSyncConfig(source: Record<string, string | undefined>, resolve: (p: string) => string): SyncConfig {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw Object.assign(new Error(issue?.message ?? "invalid"), { variable: issue?.path.join(".") ?? "SYNC" });
  }
  const e = parsed.data;
  const provider = (baseUrl: string, authorizeUrl: string, tokenUrl: string, id: string | undefined, secret: string | undefined, idVar: string): ProviderSettings | undefined => {
    if (id === undefined && secret === undefined) return undefined;
    if (id === undefined || secret === undefined) throw Object.assign(new Error("the client id and secret are set together or not at all"), { variable: idVar });
    return { baseUrl: baseUrl.replace(/\/+$/, ""), authorizeUrl, tokenUrl, clientId: id, clientSecret: secret };
  };
  return {
    syncKeyFile: e.SYNC_KEY_FILE ? resolve(e.SYNC_KEY_FILE) : undefined,
    intervalMs: e.SYNC_INTERVAL_SECONDS * 1000,
    graph: provider(e.GRAPH_BASE_URL, e.GRAPH_AUTHORIZE_URL, e.GRAPH_TOKEN_URL, e.GRAPH_CLIENT_ID, e.GRAPH_CLIENT_SECRET, "GRAPH_CLIENT_ID"),
    gmail: provider(e.GMAIL_BASE_URL, e.GOOGLE_AUTHORIZE_URL, e.GOOGLE_TOKEN_URL, e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET, "GOOGLE_CLIENT_ID"),
    googleRevokeUrl: e.GOOGLE_REVOKE_URL,
  };
}

/** The providers this server can connect, in a fixed order (for the pane's public config). */
export function enabledMailboxProviders(config: SyncConfig): ("graph" | "gmail")[] {
  return (["graph", "gmail"] as const).filter((p) => config[p] !== undefined);
}
