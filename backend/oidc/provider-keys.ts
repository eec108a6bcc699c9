// Key material of the local OpenID provider, persisted so that a restart of the dev server does not
// invalidate the ID tokens that panes and tests already hold (the backend verifies them against the
// provider's JWKS, and the signing keys are what makes them verify), nor the provider's cookies.
//
// Everything lives in one JSON file so that it is written atomically: a half-written pair of files
// (new JWKS, old cookie keys) cannot happen. The directory is 0700 and the file 0600 because it holds
// private keys; they sign tokens only a dev/test backend accepts, but they are still credentials.
import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import type { JWK } from "jose";

export const PROVIDER_KEYS_FILE = "local-oidc-keys.json";

/** A private signing key as oidc-provider expects it in `jwks.keys`. */
export type SigningJwk = JWK & { kid: string; alg: string; use: "sig" };

export interface ProviderKeys {
  /** Private JWKs: an RS256 key first (ID tokens), then an ES256 key. */
  signingKeys: SigningJwk[];
  /** Secrets oidc-provider signs its cookies with (Keygrip keys; the first one signs). */
  cookieKeys: string[];
}

interface StoredKeys extends ProviderKeys {
  version: 1;
}

/**
 * Reads the provider's keys from `keysDir`, creating the directory and generating the keys on the
 * first start. Safe when two processes start at once on the same directory: the file is published
 * with link(2), which fails if it already exists, and the loser reads the winner's keys.
 */
export async function loadOrCreateProviderKeys(keysDir: string): Promise<ProviderKeys> {
  // mkdir's mode is masked by the umask, so enforce 0700 on a directory we create. An existing
  // directory is left as its owner set it up (it may be shared with other dev data).
  const created = await mkdir(keysDir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(keysDir, 0o700);
  const file = join(keysDir, PROVIDER_KEYS_FILE);

  const existing = await readKeysFile(file);
  if (existing) return existing;

  const generated = await generateProviderKeys();
  const temp = join(keysDir, `.${PROVIDER_KEYS_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const stored: StoredKeys = { version: 1, ...generated };
  await writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(temp, file);
  } catch (error) {
    if (!isErrno(error, "EEXIST")) throw error;
    // Another process published its keys first; use them so both issue verifiable tokens.
  } finally {
    await rm(temp, { force: true });
  }
  const published = await readKeysFile(file);
  if (!published) throw new Error(`Local OpenID provider: could not read back ${file}`);
  return published;
}

async function generateProviderKeys(): Promise<ProviderKeys> {
  const rsa = await generateSigningJwk("RS256");
  const ec = await generateSigningJwk("ES256");
  // 32 random bytes per key, as base64url: well above what HMAC-SHA256 cookie signing needs.
  const cookieKeys = [randomBytes(32).toString("base64url"), randomBytes(32).toString("base64url")];
  return { signingKeys: [rsa, ec], cookieKeys };
}

async function generateSigningJwk(alg: "RS256" | "ES256"): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  // The kid is the RFC 7638 thumbprint: stable for the key, and unique without any bookkeeping.
  const kid = await calculateJwkThumbprint(jwk, "sha256");
  return { ...jwk, kid, alg, use: "sig" };
}

async function readKeysFile(file: string): Promise<ProviderKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
  // A copy restored from a backup or created by hand may be group-readable: tighten it.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Local OpenID provider: ${file} is not valid JSON; delete it to generate new keys`);
  }
  if (!isStoredKeys(parsed)) {
    // Refuse rather than silently regenerating: new keys would invalidate every token issued so far.
    throw new Error(`Local OpenID provider: ${file} is not a keys file this version understands; delete it to generate new keys`);
  }
  return { signingKeys: parsed.signingKeys, cookieKeys: parsed.cookieKeys };
}

function isStoredKeys(value: unknown): value is StoredKeys {
  if (!isRecord(value) || value.version !== 1) return false;
  const { signingKeys, cookieKeys } = value;
  if (!Array.isArray(signingKeys) || !Array.isArray(cookieKeys) || cookieKeys.length === 0) return false;
  if (!cookieKeys.every((key) => typeof key === "string" && key.length >= 32)) return false;
  const keys: unknown[] = signingKeys;
  const valid = keys.every(
    (key) =>
      isRecord(key) &&
      typeof key.kid === "string" &&
      typeof key.alg === "string" &&
      key.use === "sig" &&
      typeof key.d === "string" &&
      (key.kty === "RSA" || key.kty === "EC"),
  );
  // ID tokens are RS256, so an RSA key must be present.
  return valid && keys.some((key) => isRecord(key) && key.alg === "RS256" && key.kty === "RSA");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
