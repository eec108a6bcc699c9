import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { POSTGRES_ADMIN_URL } from "./databases";

/** Helpers of the documents suite: multipart bodies, walking DATA_DIR, closing pooled connections. */

/** A multipart body built by hand, so the raw file name reaches the server byte for byte
 * (FormData would percent-escape control characters and quotes). */
export function multipart(content: Uint8Array, fileName: string, contentType = "application/pdf"): { payload: Buffer; contentType: string } {
  const boundary = `----smartcert-${randomBytes(12).toString("hex")}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, "utf8"), content, Buffer.from(`\r\n--${boundary}--\r\n`, "utf8")]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Every file under `dir`, as paths relative to it with "/" separators. */
export function walkFiles(dir: string, prefix = ""): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walkFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

/**
 * Waits until PostgreSQL has no connection to `databaseUrl`'s database (up to ~5 s). A pool's
 * end() may resolve before the server has seen its sockets close, so a `drop database ... with
 * (force)` right after can kill a closing connection, which the pool re-emits as an unhandled
 * 'error' event.
 */
export async function waitUntilNoConnections(databaseUrl: string): Promise<void> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => undefined });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const rows = await client<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${database}`;
      if (rows[0]?.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}
