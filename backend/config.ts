import path from "node:path";
import { z } from "zod";
import { loadSyncConfig, type SyncConfig } from "./sync/config";

/**
 * Configuration comes only from environment variables, validated once at start-up. Every default
 * is the safe embedded mode (SQLite + files under ./data, local OpenID provider in development).
 * An invalid value stops the process with a message naming the variable.
 */

export interface IssuerConfig {
  issuer: string;
  audience: string;
  jwksUri: string;
}

export interface AppConfig {
  nodeEnv: "development" | "test" | "production";
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL connections: pipelined single statements, and one per running transaction (ADR 0005). */
  databasePool: { shared: number; transactions: number };
  oidcIssuers: IssuerConfig[];
  /** Whether the bundled OpenID provider is mounted at `${publicUrl}/oidc` (never in production). */
  localOidc: boolean;
  seedDemo: boolean;
  allowedOrigins: string[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  bodyLimitBytes: number;
  rateLimitPerIp: number;
  rateLimitPerUser: number;
  webDir: string;
  /** Key-encryption key file; undefined → DATA_DIR/keys/kek.key, created on first start. */
  kekFile: string | undefined;
  maxUploadBytes: number;
  lookupRateLimitPerUser: number;
  /**
   * The backend redeems authorization codes with this client secret for clients that cannot keep
   * one (the Gmail extension; docs/GMAIL.md); undefined → clients redeem their own codes.
   */
  codeExchange: { clientSecretFile: string; redirectUris: string[] } | undefined;
  /** Mailbox sync (docs/SYNC.md). */
  sync: SyncConfig;
  /** Cap on one encrypted message's ciphertext (all parts); beyond it uploads get 413. */
  maxMessageBytes: number;
}

export const LOCAL_OIDC_CLIENT_ID = "smartcert-pane";
export const LOCAL_OIDC_PATH = "/oidc";

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const booleanFromEnv = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const issuerSchema = z.object({
  issuer: z.url(),
  audience: z.string().min(1),
  jwksUri: z.url(),
});

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("localhost"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL (unset for the embedded SQLite)")
    .optional(),
  DATABASE_POOL_SHARED: z.coerce.number().int().min(1).max(100).default(4),
  DATABASE_POOL_TRANSACTIONS: z.coerce.number().int().min(1).max(100).default(6),
  OIDC_ISSUERS: z.string().optional(),
  OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  OIDC_EXCHANGE_REDIRECT_URIS: z.string().optional(),
  LOCAL_OIDC: booleanFromEnv.optional(),
  SEED_DEMO: booleanFromEnv.optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(300),
  WEB_DIR: z.string().min(1).default("./dist/web"),
  KEK_FILE: z.string().min(1).optional(),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(10_240).default(50),
  LOOKUP_RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(30),
  MAX_MESSAGE_MB: z.coerce.number().positive().max(2047).default(100),
});

function parseIssuers(raw: string): IssuerConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError("OIDC_ISSUERS", "must be a JSON array of {issuer, audience, jwksUri}");
  }
  const parsed = z.array(issuerSchema).min(1).safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    throw new ConfigError("OIDC_ISSUERS", `${first?.message ?? "invalid"}${where}`);
  }
  return parsed.data;
}

function parseOrigins(raw: string): string[] {
  const origins = raw.split(",").map((o) => o.trim()).filter((o) => o.length > 0);
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError("ALLOWED_ORIGINS", `'${origin}' is not an origin like https://example.com`);
    }
    if (url.origin !== origin) {
      throw new ConfigError("ALLOWED_ORIGINS", `'${origin}' is not an origin (no path or trailing slash)`);
    }
  }
  return origins;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join(".") ?? "environment";
    throw new ConfigError(variable, issue?.message ?? "invalid");
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const displayHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/+$/, "");

  if (production && e.LOCAL_OIDC === true) {
    throw new ConfigError("LOCAL_OIDC", "the local OpenID provider must not run when NODE_ENV=production");
  }
  const localOidc = e.LOCAL_OIDC ?? !production;
  if (production && e.OIDC_ISSUERS === undefined) {
    throw new ConfigError("OIDC_ISSUERS", "is required when NODE_ENV=production");
  }
  const localIssuer = `${publicUrl}${LOCAL_OIDC_PATH}`;
  const oidcIssuers = e.OIDC_ISSUERS
    ? parseIssuers(e.OIDC_ISSUERS)
    : [{ issuer: localIssuer, audience: LOCAL_OIDC_CLIENT_ID, jwksUri: `${localIssuer}/jwks` }];

  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePool: { shared: e.DATABASE_POOL_SHARED, transactions: e.DATABASE_POOL_TRANSACTIONS },
    oidcIssuers,
    localOidc,
    seedDemo: production ? false : (e.SEED_DEMO ?? true),
    allowedOrigins: e.ALLOWED_ORIGINS ? parseOrigins(e.ALLOWED_ORIGINS) : [new URL(publicUrl).origin],
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerIp: e.RATE_LIMIT_PER_IP,
    rateLimitPerUser: e.RATE_LIMIT_PER_USER,
    webDir: path.resolve(e.WEB_DIR),
    kekFile: e.KEK_FILE ? path.resolve(e.KEK_FILE) : undefined,
    maxUploadBytes: Math.floor(e.MAX_UPLOAD_MB * 1024 * 1024),
    lookupRateLimitPerUser: e.LOOKUP_RATE_LIMIT_PER_USER,
    codeExchange: codeExchangeOf(e.OIDC_CLIENT_SECRET_FILE, e.OIDC_EXCHANGE_REDIRECT_URIS),
    sync: syncConfigOf(env),
    maxMessageBytes: Math.floor(e.MAX_MESSAGE_MB * 1024 * 1024),
  };
}

function codeExchangeOf(secretFile: string | undefined, redirectUris: string | undefined): AppConfig["codeExchange"] {
  if (secretFile === undefined) {
    if (redirectUris !== undefined) throw new ConfigError("OIDC_EXCHANGE_REDIRECT_URIS", "only applies together with OIDC_CLIENT_SECRET_FILE");
    return undefined;
  }
  const uris = (redirectUris ?? "").split(",").map((u) => u.trim()).filter((u) => u.length > 0);
  if (uris.length === 0) throw new ConfigError("OIDC_EXCHANGE_REDIRECT_URIS", "must list the redirect URIs allowed to use the backend code exchange (e.g. https://<extension-id>.chromiumapp.org/)");
  for (const uri of uris) {
    if (!URL.canParse(uri) || !new URL(uri).protocol.startsWith("http")) throw new ConfigError("OIDC_EXCHANGE_REDIRECT_URIS", `'${uri}' is not an http(s) URL`);
  }
  return { clientSecretFile: path.resolve(secretFile), redirectUris: uris };
}

function syncConfigOf(env: Record<string, string | undefined>): SyncConfig {
  try {
    return loadSyncConfig(env, (p) => path.resolve(p));
  } catch (error) {
    throw new ConfigError((error as { variable?: string }).variable ?? "SYNC", error instanceof Error ? error.message : "invalid");
  }
}
