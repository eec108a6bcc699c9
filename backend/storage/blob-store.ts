// Encrypted documents on the local file system (DATA_DIR/blobs), in the format of blob-format.ts.
//
// Crash safety: a blob is written to a temp file next to its final name, fsynced, published under
// the final name atomically, and the directory is fsynced so the new name itself is durable. A crash
// leaves at worst a `.tmp-*` file, which sweepTemporaryFiles removes at start-up; a final name only
// ever holds a complete, fsynced blob.
//
// Publishing uses link(2) + unlink rather than rename(2): rename silently replaces an existing file,
// so two uploads racing for the same version would let the loser overwrite the winner's content (and
// then delete it when its database insert fails). link fails with EEXIST instead, so a blob, once
// written, is never replaced; the loser gets BlobExistsError.
//
// Paths come only from validated ids (lower-case UUIDs, positive integer version): nothing a user
// typed, such as a file name, is ever part of a path.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { KeyRing } from "../keys/key-ring";
import { fsyncDirectory, isErrno, publishWithoutReplacing } from "../keys/key-encryption-key";
import { BlobDecryptor, BlobEncryptor, BlobIntegrityError, RECORD_CIPHERTEXT_LENGTH, RECORD_PLAINTEXT_LENGTH, assertBlobBinding } from "./blob-format";

export { BlobIntegrityError };

export interface BlobKey {
  orgId: string;
  documentId: string;
  version: number;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob exceeds the limit of ${maxBytes} bytes`);
    this.name = "BlobTooLargeError";
  }
}

/** A blob already exists under this key; blobs are immutable. */
export class BlobExistsError extends Error {
  constructor() {
    super("a blob already exists for this organization, document and version");
    this.name = "BlobExistsError";
  }
}

export class BlobNotFoundError extends Error {
  constructor() {
    super("blob not found");
    this.name = "BlobNotFoundError";
  }
}

const TEMP_MARKER = ".tmp-";
const TEMP_FILE_PATTERN = /^[1-9][0-9]*\.blob\.tmp-[0-9a-f]+$/;
const UUID_DIR_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class BlobStore {
  readonly #root: string;
  readonly #keyRing: KeyRing;

  constructor(options: { root: string; keyRing: KeyRing }) {
    this.#root = path.resolve(options.root);
    this.#keyRing = options.keyRing;
  }

  /**
   * Streams plaintext in, encrypting record by record into a temp file; never holds more than one
   * record plus one source chunk. Returns size and sha256 (hex) of the plaintext. Over maxBytes: stops
   * reading (the source is destroyed) and throws BlobTooLargeError. An existing blob under the key
   * is never replaced: BlobExistsError (also checked up front, before reading the source). On any
   * error the temp file is removed and nothing new exists under the final name.
   */
  async put(key: BlobKey, plaintext: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<{ size: number; sha256: string }> {
    const file = this.#path(key);
    const { maxBytes } = options;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new TypeError("maxBytes must be a non-negative integer");
    if (await this.exists(key)) throw new BlobExistsError();
    const dataKey = await this.#keyRing.dataKey(key.orgId);
    const encryptor = new BlobEncryptor(dataKey, key);
    dataKey.fill(0);

    const dir = path.dirname(file);
    const createdDirectory = await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}${TEMP_MARKER}${randomBytes(8).toString("hex")}`;
    const hash = createHash("sha256");
    let size = 0;
    let handle: FileHandle | undefined = await open(temp, "wx", 0o600);
    try {
      for await (const chunk of plaintext as AsyncIterable<unknown>) {
        if (!(chunk instanceof Uint8Array)) throw new TypeError("blob source must yield bytes (Uint8Array), not strings or objects");
        // Checked before the chunk is used: leaving the loop destroys the source, so reading stops.
        if (size + chunk.length > maxBytes) throw new BlobTooLargeError(maxBytes);
        size += chunk.length;
        hash.update(chunk);
        await writeAll(handle, encryptor.update(chunk));
      }
      await writeAll(handle, encryptor.final());
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (!(await publishWithoutReplacing(temp, file))) throw new BlobExistsError();
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw error;
    }
    // The blob is published; a temp name that will not go away is only a second link to it, which
    // the next sweep removes — not a reason to report the put as failed.
    await rm(temp, { force: true }).catch(() => undefined);
    try {
      // New directories need their own entries made durable too, up to the store's root.
      await fsyncDirectory(dir);
      // mkdir returns the topmost directory it created; each new directory's parent holds its entry.
      for (let created = dir; createdDirectory !== undefined; created = path.dirname(created)) {
        await fsyncDirectory(path.dirname(created));
        if (created === createdDirectory || created === path.dirname(created)) break;
      }
    } catch (error) {
      // The blob cannot be promised durable, so it must not be reported (or left) as written.
      await rm(file, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest("hex") };
  }

  /**
   * The decrypted plaintext as a stream. The header and first record are verified before this
   * resolves, so a blob under the wrong key, moved from another org/document/version, or damaged at
   * its start rejects here (before a response starts). Later damage errors the stream with
   * BlobIntegrityError; no plaintext of an unverified record is ever pushed.
   */
  async open(key: BlobKey): Promise<Readable> {
    const file = this.#path(key);
    const dataKey = await this.#keyRing.dataKey(key.orgId);
    const decryptor = new BlobDecryptor(dataKey, key);
    dataKey.fill(0);
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) throw new BlobNotFoundError();
      throw error;
    }
    const buffer = Buffer.alloc(RECORD_CIPHERTEXT_LENGTH);
    let ended = false;
    // Reads until at least one record verified (or the end): bounded by one record plus one read.
    const pull = async (): Promise<Buffer[]> => {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
          ended = true;
          return decryptor.final();
        }
        const records = decryptor.update(buffer.subarray(0, bytesRead));
        if (records.length > 0) return records;
      }
    };

    let queue: Buffer[];
    try {
      queue = await pull();
    } catch (error) {
      await handle.close();
      throw error;
    }

    let busy = false;
    const stream = new Readable({
      highWaterMark: RECORD_PLAINTEXT_LENGTH,
      read() {
        if (busy) return;
        busy = true;
        void (async () => {
          try {
            for (;;) {
              if (stream.destroyed) return;
              const next = queue.shift();
              if (next) {
                if (!stream.push(next)) return;
              } else if (ended) {
                stream.push(null);
                return;
              } else {
                queue = await pull();
              }
            }
          } catch (error) {
            stream.destroy(error instanceof Error ? error : new Error(String(error)));
          } finally {
            busy = false;
          }
        })();
      },
      destroy(error, callback) {
        // close() waits for a read still in flight on the handle.
        handle.close().then(
          () => { callback(error); },
          (closeError: unknown) => { callback(error ?? (closeError instanceof Error ? closeError : null)); },
        );
      },
    });
    return stream;
  }

  async exists(key: BlobKey): Promise<boolean> {
    const file = this.#path(key);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (isErrno(error, "ENOENT")) return false;
      throw error;
    }
  }

  /** When the blob under this key was published, or undefined when there is none. */
  async publishedAt(key: BlobKey): Promise<Date | undefined> {
    try {
      return (await stat(this.#path(key))).mtime;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw error;
    }
  }

  /** Removes the blob (no error if absent). Directories stay: removing them could race a put. */
  async delete(key: BlobKey): Promise<void> {
    const file = this.#path(key);
    await rm(file, { force: true });
    await fsyncDirectory(path.dirname(file)).catch((error: unknown) => {
      if (!isErrno(error, "ENOENT")) throw error;
    });
  }

  /** Removes temp files a crash left behind; call at start-up, before accepting uploads (an upload
   * in progress in another process would lose its temp file). Returns how many were removed. */
  async sweepTemporaryFiles(): Promise<number> {
    let removed = 0;
    for (const orgDir of await listDirectories(this.#root)) {
      for (const documentDir of await listDirectories(path.join(this.#root, orgDir))) {
        const dir = path.join(this.#root, orgDir, documentDir);
        const names = (await readdir(dir)).filter((name) => TEMP_FILE_PATTERN.test(name));
        for (const name of names) await rm(path.join(dir, name), { force: true });
        removed += names.length;
      }
    }
    return removed;
  }

  #path(key: BlobKey): string {
    assertBlobBinding(key);
    const file = path.join(this.#root, key.orgId, key.documentId, `${key.version}.blob`);
    // Defence in depth: the validation above already makes traversal impossible.
    if (path.dirname(path.dirname(path.dirname(file))) !== this.#root) throw new TypeError("blob path escapes the store");
    return file;
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}

async function listDirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && UUID_DIR_PATTERN.test(entry.name)).map((entry) => entry.name);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return [];
    throw error;
  }
}
