// Organization data keys (envelope encryption, docs/KEYS.md) and everything derived from them.
//
// Key derivations (HKDF-SHA256, empty salt, 32-byte output). Every info string starts with a
// family prefix that is not a prefix of any other family's, so two purposes never share a key:
//   from the KEK        "smartcert:kek:wrap:v1"                        wraps org data keys and global keys
//   from the HMAC root  "smartcert:global-hmac:v1:" + purpose          globalHmac (root: global-keys.ts)
//   from org data key   "smartcert:org:field:v1"                       encryptField / decryptField
//                       "smartcert:org:hmac:v1:" + purpose             orgHmac
//                       "smartcert:blob:v1:" + org:doc:version         blob-format.ts (salted per blob)
// Purposes are kebab-case (PURPOSE_PATTERN), so "prefix + purpose" is unambiguous.
// Key material is never logged: keys sit in private fields, errors name ids and files only.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { inspect } from "node:util";
import type { Database } from "../db/database";
import { loadOrCreateGlobalKey } from "./global-keys";
import { KeyEncryptionKey, PURPOSE_PATTERN } from "./key-encryption-key";

export const DATA_KEY_LENGTH = 32;
const ORG_DEK_AAD_PREFIX = "smartcert:org-dek:v1:";
const FIELD_KEY_INFO = "smartcert:org:field:v1";
const ORG_HMAC_INFO_PREFIX = "smartcert:org:hmac:v1:";
const GLOBAL_HMAC_INFO_PREFIX = "smartcert:global-hmac:v1:";
const HMAC_ROOT = "hmac-root";

/** Field ciphertext: base64url(version ‖ IV(12) ‖ ciphertext ‖ tag(16)). */
const FIELD_FORMAT_VERSION = 1;
const FIELD_AAD_PREFIX = "smartcert:field:v1:";
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** A field ciphertext that is malformed, tampered with, or from another organization or context. */
export class FieldDecryptionError extends Error {
  constructor() {
    super("encrypted field does not decrypt: malformed, tampered with, or from another organization or context");
    this.name = "FieldDecryptionError";
  }
}

interface OrgKeys {
  dataKey: Buffer;
  fieldKey: Buffer;
  hmacKeys: Map<string, Buffer>;
}

export class KeyRing {
  readonly #kek: KeyEncryptionKey;
  readonly #db: Database;
  /** Promises, so concurrent first uses within this process share one load. */
  readonly #orgKeys = new Map<string, Promise<OrgKeys>>();
  readonly #hmacRoot: Buffer;
  /** HKDF per purpose once, not on every HMAC (tickets and URLs are computed per request). */
  readonly #globalHmacKeys = new Map<string, Buffer>();

  private constructor(kek: KeyEncryptionKey, db: Database, hmacRoot: Buffer) {
    this.#kek = kek;
    this.#db = db;
    this.#hmacRoot = hmacRoot;
  }

  /** Loads the KEK and the global HMAC root (created on the first start of a new database). */
  static async open(options: { db: Database; kekFile?: string | undefined; dataDir: string }): Promise<KeyRing> {
    const kek = await KeyEncryptionKey.load({ kekFile: options.kekFile, dataDir: options.dataDir });
    return new KeyRing(kek, options.db, await loadOrCreateGlobalKey(options.db, kek, HMAC_ROOT));
  }

  /** The id of the KEK in use (stored in org_keys.kek_id). */
  get kekId(): string {
    return this.#kek.id;
  }

  /**
   * The organization's 256-bit data key: created, wrapped by the KEK (AES-256-GCM, AAD
   * "smartcert:org-dek:v1:" + orgId) and stored in org_keys on first use; cached unwrapped in memory
   * afterwards. Concurrent first use (requests, processes, either dialect) ends with one key:
   * insert-if-absent, then everyone re-reads the row that won. Returns a copy.
   */
  async dataKey(orgId: string): Promise<Buffer> {
    return Buffer.from((await this.#keys(orgId)).dataKey);
  }

  /** AES-256-GCM under the org's field key; `context` (e.g. "email:" + userId) is the AAD, so a
   * ciphertext copied to another row or column fails to decrypt. A fresh random IV each time. */
  async encryptField(orgId: string, context: string, plaintext: string): Promise<string> {
    assertContext(context);
    const { fieldKey } = await this.#keys(orgId);
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", fieldKey, iv);
    cipher.setAAD(Buffer.from(FIELD_AAD_PREFIX + context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([Buffer.of(FIELD_FORMAT_VERSION), iv, body, cipher.getAuthTag()]).toString("base64url");
  }

  async decryptField(orgId: string, context: string, ciphertext: string): Promise<string> {
    assertContext(context);
    const { fieldKey } = await this.#keys(orgId);
    const bytes = Buffer.from(ciphertext, "base64url");
    if (bytes.length < 1 + IV_LENGTH + TAG_LENGTH || bytes[0] !== FIELD_FORMAT_VERSION || bytes.toString("base64url") !== ciphertext) {
      throw new FieldDecryptionError();
    }
    const decipher = createDecipheriv("aes-256-gcm", fieldKey, bytes.subarray(1, 1 + IV_LENGTH));
    decipher.setAAD(Buffer.from(FIELD_AAD_PREFIX + context, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(1 + IV_LENGTH, bytes.length - TAG_LENGTH)), decipher.final()]);
      return plain.toString("utf8");
    } catch {
      throw new FieldDecryptionError();
    }
  }

  /** HMAC-SHA256 (hex) under HKDF(org data key, "smartcert:org:hmac:v1:" + purpose). */
  async orgHmac(orgId: string, purpose: string, value: string): Promise<string> {
    if (!PURPOSE_PATTERN.test(purpose)) throw new Error(`invalid HMAC purpose ${JSON.stringify(purpose)}`);
    const keys = await this.#keys(orgId);
    let key = keys.hmacKeys.get(purpose);
    if (!key) {
      key = derive(keys.dataKey, ORG_HMAC_INFO_PREFIX + purpose);
      keys.hmacKeys.set(purpose, key);
    }
    return createHmac("sha256", key).update(value, "utf8").digest("hex");
  }

  /** HMAC-SHA256 under HKDF(HMAC root, "smartcert:global-hmac:v1:" + purpose) for a global purpose
   * ("email-index", "document-url", "public-link"): global because these lookups span organizations.
   * The root is a stored global key, so a KEK rotation leaves every HMAC as it was. */
  globalHmac(purpose: string, value: string, encoding: "hex" | "base64url" = "hex"): string {
    let key = this.#globalHmacKeys.get(purpose);
    if (!key) {
      if (!PURPOSE_PATTERN.test(purpose)) throw new Error(`invalid HMAC purpose ${JSON.stringify(purpose)}`);
      key = derive(this.#hmacRoot, GLOBAL_HMAC_INFO_PREFIX + purpose);
      this.#globalHmacKeys.set(purpose, key);
    }
    return createHmac("sha256", key).update(value, "utf8").digest(encoding);
  }

  /** Whether `mac` is `globalHmac(purpose, value, encoding)`, compared in constant time (signed
   * URLs, tickets and capabilities all check theirs here). */
  verifyGlobalHmac(purpose: string, value: string, mac: string, encoding: "hex" | "base64url" = "hex"): boolean {
    const expected = Buffer.from(this.globalHmac(purpose, value, encoding));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Crypto-shredding: deletes the organization's wrapped data key and forgets it here. Everything
   * encrypted under it (fields, blobs, org HMACs) becomes permanently unreadable. Other processes
   * keep their cached copy until they restart, so run this as the first step of deleting a tenant
   * and delete the tenant's rows right after (org_keys cascades with the organization).
   */
  async destroyDataKey(orgId: string): Promise<void> {
    await this.#db.deleteFrom("org_keys").where("org_id", "=", orgId).execute();
    const cached = this.#orgKeys.get(orgId);
    this.#orgKeys.delete(orgId);
    const keys = await cached?.catch(() => undefined);
    if (keys) {
      keys.dataKey.fill(0);
      keys.fieldKey.fill(0);
      for (const key of keys.hmacKeys.values()) key.fill(0);
    }
  }

  [inspect.custom](): string {
    return `KeyRing { kek: ${this.#kek.id}, cachedOrganizations: ${this.#orgKeys.size} }`;
  }

  #keys(orgId: string): Promise<OrgKeys> {
    if (orgId.length === 0) return Promise.reject(new Error("organization id is empty"));
    let pending = this.#orgKeys.get(orgId);
    if (!pending) {
      pending = this.#loadOrCreate(orgId).then((dataKey) => ({
        dataKey,
        fieldKey: derive(dataKey, FIELD_KEY_INFO),
        hmacKeys: new Map<string, Buffer>(),
      }));
      this.#orgKeys.set(orgId, pending);
      // A failed load (database down, unknown org) must not stick: the next call retries.
      void pending.catch(() => {
        if (this.#orgKeys.get(orgId) === pending) this.#orgKeys.delete(orgId);
      });
    }
    return pending;
  }

  async #loadOrCreate(orgId: string): Promise<Buffer> {
    const existing = await this.#read(orgId);
    if (existing) return existing;
    const fresh = randomBytes(DATA_KEY_LENGTH);
    const wrapped = this.#kek.wrap(fresh, ORG_DEK_AAD_PREFIX + orgId);
    fresh.fill(0);
    // Insert-if-absent: if another request or process got there first, its key stays and ours is
    // dropped; re-reading below makes every contender use the key that is actually stored.
    await this.#db
      .insertInto("org_keys")
      .values({ org_id: orgId, wrapped_key: wrapped.toString("base64"), kek_id: this.#kek.id, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column("org_id").doNothing())
      .execute();
    const stored = await this.#read(orgId);
    if (!stored) throw new Error(`org_keys: the data key of organization ${orgId} is missing right after it was stored`);
    return stored;
  }

  async #read(orgId: string): Promise<Buffer | undefined> {
    const row = await this.#db.selectFrom("org_keys").select(["wrapped_key", "kek_id"]).where("org_id", "=", orgId).executeTakeFirst();
    if (!row) return undefined;
    if (row.kek_id !== this.#kek.id) {
      // Never fall back to a new key: that would silently orphan everything encrypted so far.
      throw new Error(`org_keys: the data key of organization ${orgId} is wrapped by KEK ${row.kek_id}, but KEK_FILE ${this.#kek.file} holds KEK ${this.#kek.id}`);
    }
    let key: Buffer;
    try {
      key = this.#kek.unwrap(Buffer.from(row.wrapped_key, "base64"), ORG_DEK_AAD_PREFIX + orgId);
    } catch {
      throw new Error(`org_keys: the data key of organization ${orgId} does not unwrap with KEK ${this.#kek.id} (KEK_FILE ${this.#kek.file}): wrong key file, or the row was altered or copied from another organization`);
    }
    if (key.length !== DATA_KEY_LENGTH) throw new Error(`org_keys: the data key of organization ${orgId} has the wrong length`);
    return key;
  }
}

function derive(key: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), info, DATA_KEY_LENGTH));
}

function assertContext(context: string): void {
  if (context.length === 0) throw new Error("field encryption context is empty");
}
