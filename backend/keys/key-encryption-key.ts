// The key-encryption key (KEK): the root of the key hierarchy (docs/KEYS.md). It lives outside the
// database so that a copy of the database alone decrypts nothing. This module owns the KEK bytes: it
// never hands them out, only the operations built on them (wrap and unwrap), so a KMS adapter can
// later implement the same surface without exporting key material.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { inspect } from "node:util";
import path from "node:path";

export const KEK_LENGTH = 32;
export const DEFAULT_KEK_FILE = path.join("keys", "kek.key");

/** HKDF info strings of keys derived from the KEK. Each family has its own prefix, and no prefix is
 * a prefix of another, so no two purposes can ever derive the same key. */
const WRAP_INFO = "smartcert:kek:wrap:v1";

const WRAP_FORMAT_VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const MAX_KEY_FILE_BYTES = 4096;
const KEK_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Purposes are short kebab-case names ("email-index", "public-link"). */
export const PURPOSE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface KeyFileV1 {
  v: 1;
  id: string;
  key: string;
}

export interface KekLocation {
  /** KEK_FILE: used as given, never generated (an operator-provisioned key that is missing is a
   * failed secret mount, not a first start). */
  kekFile?: string | undefined;
  /** When kekFile is absent, the key is DATA_DIR/keys/kek.key, generated on first start. */
  dataDir: string;
}

export class KeyEncryptionKey {
  /** Private fields: invisible to JSON.stringify, util.inspect and loggers. */
  readonly #wrapKey: Buffer;

  private constructor(
    /** Stored next to every wrapped key, so rotation can tell which KEK wrapped what. */
    readonly id: string,
    /** Where the key was loaded from; named in errors. */
    readonly file: string,
    key: Buffer,
  ) {
    this.#wrapKey = hkdf(key, WRAP_INFO);
  }

  /** Reads the KEK, creating the default key file on first start. */
  static async load(location: KekLocation): Promise<KeyEncryptionKey> {
    const file = location.kekFile ?? path.join(location.dataDir, DEFAULT_KEK_FILE);
    const generate = location.kekFile === undefined;
    let parsed = await readKeyFile(file, generate);
    if (!parsed) {
      await createKeyFile(file);
      parsed = await readKeyFile(file, false);
      if (!parsed) throw kekError(file, "could not be read back after creating it");
    }
    const kek = new KeyEncryptionKey(parsed.id, file, parsed.key);
    parsed.key.fill(0);
    return kek;
  }

  /** AES-256-GCM under a key derived from the KEK. Output: version byte ‖ IV ‖ ciphertext ‖ tag. */
  wrap(plaintext: Buffer, aad: string): Buffer {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", this.#wrapKey, iv);
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.of(WRAP_FORMAT_VERSION), iv, body, cipher.getAuthTag()]);
  }

  /** Inverse of wrap; throws (without detail, to leak nothing) when the key, AAD or bytes differ. */
  unwrap(wrapped: Buffer, aad: string): Buffer {
    if (wrapped.length < 1 + IV_LENGTH + TAG_LENGTH || wrapped[0] !== WRAP_FORMAT_VERSION) {
      throw new Error("wrapped key is malformed or of an unknown format version");
    }
    const iv = wrapped.subarray(1, 1 + IV_LENGTH);
    const tag = wrapped.subarray(wrapped.length - TAG_LENGTH);
    const decipher = createDecipheriv("aes-256-gcm", this.#wrapKey, iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(wrapped.subarray(1 + IV_LENGTH, wrapped.length - TAG_LENGTH)), decipher.final()]);
    } catch {
      throw new Error(`wrapped key does not authenticate under KEK ${this.id}`);
    }
  }

  toJSON(): { id: string; file: string } {
    return { id: this.id, file: this.file };
  }

  [inspect.custom](): string {
    return `KeyEncryptionKey { id: ${this.id}, file: ${this.file} }`;
  }
}

function hkdf(ikm: Buffer, info: string): Buffer {
  // No salt: the input is already a uniformly random key; HKDF here only separates purposes.
  return Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), info, KEK_LENGTH));
}

function kekError(file: string, problem: string): Error {
  return new Error(`KEK_FILE ${file}: ${problem}`);
}

/** undefined when the file does not exist and may be generated. Reads through one handle so the
 * permission check and the read see the same file. */
async function readKeyFile(file: string, mayBeAbsent: boolean): Promise<{ id: string; key: Buffer } | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT")) {
      if (mayBeAbsent) return undefined;
      throw kekError(file, "does not exist; provision the key-encryption key there (see docs/KEYS.md) or unset KEK_FILE to use DATA_DIR/keys/kek.key");
    }
    throw kekError(file, `cannot be opened (${errorCode(error)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw kekError(file, "is not a regular file");
    if ((info.mode & 0o077) !== 0) {
      throw kekError(file, `permissions ${(info.mode & 0o777).toString(8).padStart(4, "0")} let group or others access the key; chmod 600 it`);
    }
    if (info.size > MAX_KEY_FILE_BYTES) throw kekError(file, "is too large to be a key file");
    return parseKeyFile(file, await handle.readFile("utf8"));
  } finally {
    await handle.close();
  }
}

function parseKeyFile(file: string, text: string): { id: string; key: Buffer } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw kekError(file, 'is not JSON of the form {"v":1,"id":"…","key":"<base64>"}');
  }
  if (typeof json !== "object" || json === null || (json as Partial<KeyFileV1>).v !== 1) {
    throw kekError(file, "is not a key file of a version this build understands (v: 1)");
  }
  const { id, key } = json as Partial<KeyFileV1>;
  if (typeof id !== "string" || !KEK_ID_PATTERN.test(id)) throw kekError(file, "has a missing or invalid id");
  if (typeof key !== "string") throw kekError(file, "has no key");
  const bytes = Buffer.from(key, "base64");
  // Node's base64 decoder skips invalid characters; re-encoding catches a damaged value.
  if (bytes.toString("base64") !== key) throw kekError(file, "key is not valid base64");
  if (bytes.length !== KEK_LENGTH) throw kekError(file, `key is ${bytes.length} bytes, expected ${KEK_LENGTH}`);
  return { id, key: bytes };
}

/**
 * Generates and publishes a key file: written to a unique temp file (wx, 0600) and fsynced, then
 * published with link(2), which — unlike rename(2) — fails if the name exists. Two processes
 * starting at once therefore end with one key: the loser gets EEXIST and reads the winner's file.
 */
async function createKeyFile(file: string): Promise<void> {
  const dir = path.dirname(file);
  // mkdir's mode is masked by the umask, so enforce 0700 on a directory we create.
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(dir, 0o700);
  await removeStaleTemps(dir, path.basename(file));

  const id = `kek-${new Date().toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(6).toString("hex")}`;
  const key = randomBytes(KEK_LENGTH);
  const body: KeyFileV1 = { v: 1, id, key: key.toString("base64") };
  key.fill(0);
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${randomBytes(8).toString("hex")}`);
  const handle = await open(temp, "wx", 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(body)}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    // false: another process published its key first, which is the one everybody uses.
    await publishWithoutReplacing(temp, file);
  } catch (error) {
    throw kekError(file, `could not be created (${errorCode(error)})`);
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDirectory(dir);
}

/** Temp files of a start-up that crashed hold a never-published key; remove those older than a
 * minute (younger ones may belong to a process starting right now). */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.tmp-`;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const full = path.join(dir, name);
    const info = await stat(full).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 60_000) await rm(full, { force: true });
  }
}

/**
 * Publishes a complete, fsynced temp file under `file` atomically without ever replacing an existing
 * file: link(2) fails with EEXIST where rename(2) would silently overwrite. Returns false when `file`
 * already exists. The caller removes the temp name either way.
 */
export async function publishWithoutReplacing(temp: string, file: string): Promise<boolean> {
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  }
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function errorCode(error: unknown): string {
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
}
