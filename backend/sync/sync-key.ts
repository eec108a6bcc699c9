import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, open, rm } from "node:fs/promises";
import { inspect } from "node:util";
import path from "node:path";
import { fsyncDirectory, isErrno, publishWithoutReplacing } from "../keys/key-encryption-key";

/**
 * The sync key seals mailbox refresh tokens (AES-256-GCM, bound to the connection id). It is held
 * apart from the database *and* from the KEK that protects the rest of the data (docs/SYNC.md): its
 * own file, SYNC_KEY_FILE, or DATA_DIR/keys/sync.key generated on first start with mode 0600. So a
 * leaked database, or a leaked KEK, still opens no mailbox. The key bytes never leave this object.
 */
const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const FORMAT = "s1";

export class SyncKey {
  readonly #key: Buffer;

  private constructor(readonly id: string, key: Buffer) {
    this.#key = key;
  }

  /** SYNC_KEY_FILE must exist when given; the default file is created on first start. */
  static async load(options: { syncKeyFile: string | undefined; dataDir: string }): Promise<SyncKey> {
    const file = options.syncKeyFile ?? path.join(options.dataDir, "keys", "sync.key");
    let parsed = await read(file, options.syncKeyFile === undefined);
    if (!parsed) {
      await create(file);
      parsed = await read(file, false);
      if (!parsed) throw new Error(`SYNC_KEY_FILE ${file}: could not be read back after creating it`);
    }
    return new SyncKey(parsed.id, parsed.key);
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(`sync:${boundTo}`, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
  }

  open(sealed: string, boundTo: string): string {
    const [format, data] = sealed.split(".");
    const bytes = Buffer.from(data ?? "", "base64url");
    if (format !== FORMAT || bytes.length < IV_LENGTH + TAG_LENGTH) throw new Error("sealed token is malformed");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, bytes.subarray(0, IV_LENGTH));
    decipher.setAAD(Buffer.from(`sync:${boundTo}`, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_LENGTH, bytes.length - TAG_LENGTH)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error(`sealed token does not authenticate under sync key ${this.id}`);
    }
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return `SyncKey { id: ${this.id} }`;
  }
}

async function read(file: string, mayBeAbsent: boolean): Promise<{ id: string; key: Buffer } | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT") && mayBeAbsent) return undefined;
    throw new Error(`SYNC_KEY_FILE ${file}: cannot be opened (${isErrno(error, "ENOENT") ? "it does not exist" : "access denied or unreadable"})`);
  }
  try {
    const info = await handle.stat();
    if ((info.mode & 0o077) !== 0) throw new Error(`SYNC_KEY_FILE ${file}: permissions let group or others read the key; chmod 600 it`);
    const json = JSON.parse(await handle.readFile("utf8")) as { v?: unknown; id?: unknown; key?: unknown };
    const key = typeof json.key === "string" ? Buffer.from(json.key, "base64") : Buffer.alloc(0);
    if (json.v !== 1 || typeof json.id !== "string" || key.length !== KEY_LENGTH) throw new Error(`SYNC_KEY_FILE ${file}: not a v1 key file with a 32-byte key`);
    return { id: json.id, key };
  } finally {
    await handle.close();
  }
}

/** Same publication as the KEK file: temp file (wx, 0600), fsync, link(2) without replacing. */
async function create(file: string): Promise<void> {
  const dir = path.dirname(file);
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(dir, 0o700);
  const body = JSON.stringify({ v: 1, id: `sync-${randomBytes(6).toString("hex")}`, key: randomBytes(KEY_LENGTH).toString("base64") });
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${randomBytes(8).toString("hex")}`);
  const handle = await open(temp, "wx", 0o600);
  try {
    try {
      await handle.writeFile(`${body}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await publishWithoutReplacing(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDirectory(dir);
}
