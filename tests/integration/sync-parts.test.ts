import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findPrivateLinks, findPublicLinks } from "../../shared/protocol/smartcert-links";
import { CursorExpiredError, RateLimitedError, type SyncPage } from "../../backend/sync/connectors/connector";
import { GmailConnector } from "../../backend/sync/connectors/gmail";
import { GraphConnector } from "../../backend/sync/connectors/graph";
import { errorName } from "../../backend/sync/engine";
import { retryAfterMs, statusOf, withRetry, type RetryOptions } from "../../backend/sync/retry";
import { InProcessQueue } from "../../backend/sync/scheduler";
import { SyncKey } from "../../backend/sync/sync-key";
import { tempDir } from "../support/databases";
import { FakeGmail } from "../support/fake-gmail";
import { FakeGraph } from "../support/fake-graph";
import type { FakeTokenEndpoint } from "../support/fake-oauth";

/**
 * The sync backend's small parts: its key file, the job queue, retries, link finding, error names,
 * and how each connector reads the provider answers the docs describe (through the real client
 * libraries, against the local fakes).
 */
describe("sync key", () => {
  it("is generated 0600 under DATA_DIR/keys, seals bound to the connection, and reloads the same", async () => {
    const dataDir = tempDir("sync-key");
    const key = await SyncKey.load({ syncKeyFile: undefined, dataDir });
    const file = path.join(dataDir, "keys", "sync.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const sealed = key.seal("refresh-token-value", "connection-a");
    expect(sealed).not.toContain("refresh-token-value");
    const again = await SyncKey.load({ syncKeyFile: undefined, dataDir });
    expect(again.open(sealed, "connection-a")).toBe("refresh-token-value");
    expect(() => again.open(sealed, "connection-b")).toThrow(/does not authenticate/);
    // Serializing the key (a log line, an error) shows its id only.
    expect(JSON.stringify(key)).toBe(JSON.stringify({ id: key.id }));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a key file others can read, and a named SYNC_KEY_FILE that is missing", async () => {
    const dataDir = tempDir("sync-key-perm");
    await SyncKey.load({ syncKeyFile: undefined, dataDir });
    const file = path.join(dataDir, "keys", "sync.key");
    fs.chmodSync(file, 0o644);
    await expect(SyncKey.load({ syncKeyFile: file, dataDir })).rejects.toThrow(/chmod 600/);
    await expect(SyncKey.load({ syncKeyFile: path.join(dataDir, "absent.key"), dataDir })).rejects.toThrow(/SYNC_KEY_FILE .* does not exist/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

describe("in-process job queue", () => {
  it("merges a job added while the same job waits, and runs it once more when added while it runs", async () => {
    const queue = new InProcessQueue<{ n: number }>(1);
    const runs: number[] = [];
    let release: () => void = () => undefined;
    queue.process("job", async ({ n }) => {
      runs.push(n);
      if (n === 1) await new Promise<void>((r) => (release = r));
    });
    await queue.add("job", { n: 1 }, { jobId: "a" });
    await queue.add("job", { n: 2 }, { jobId: "a" }); // a is running: runs again afterwards
    await queue.add("job", { n: 3 }, { jobId: "b" });
    await queue.add("job", { n: 4 }, { jobId: "b" }); // b waits: merged
    release();
    await queue.idle();
    expect(runs.sort()).toEqual([1, 2, 3]);
    await queue.close();
  });
});

describe("retries", () => {
  const recorder = () => {
    const waits: number[] = [];
    const options: RetryOptions = { attempts: 4, baseDelayMs: 10, maxDelayMs: 60_000, sleep: (ms) => { waits.push(ms); return Promise.resolve(); } };
    return { waits, options };
  };

  it("waits at least Retry-After on 429, backs off on 5xx, and passes other errors through", async () => {
    const { waits, options } = recorder();
    let calls = 0;
    const result = await withRetry(() => {
      calls++;
      if (calls === 1) return Promise.reject(Object.assign(new Error("throttled"), { statusCode: 429, headers: new Headers({ "retry-after": "7" }) }));
      if (calls === 2) return Promise.reject(Object.assign(new Error("busy"), { status: 503 }));
      return Promise.resolve("ok");
    }, options);
    expect(result).toBe("ok");
    expect(waits[0]).toBeGreaterThanOrEqual(7000);
    expect(waits).toHaveLength(2);
    await expect(withRetry(() => Promise.reject(Object.assign(new Error("gone"), { statusCode: 410 })), options)).rejects.toThrow("gone");
    expect(waits).toHaveLength(2);
  });

  it("gives up after the last attempt", async () => {
    const { waits, options } = recorder();
    await expect(withRetry(() => Promise.reject(Object.assign(new Error("down"), { response: { status: 500, headers: {} } })), options)).rejects.toThrow("down");
    expect(waits).toHaveLength(3);
  });
});

describe("links and error names", () => {
  const origin = "https://smartcert.example";
  it("finds public and private links of our origin only", () => {
    const text = `see ${origin}/p/abcdefghijklmnop1234 and ${origin}/certs/0F6E5B1C-2D3A-4B5C-8D7E-9F0A1B2C3D4E, not https://evil.example/p/abcdefghijklmnop9999`;
    expect(findPublicLinks(text, [origin]).map((l) => l.token)).toEqual(["abcdefghijklmnop1234"]);
    expect(findPrivateLinks(text, [origin]).map((l) => l.certId)).toEqual(["0f6e5b1c-2d3a-4b5c-8d7e-9f0a1b2c3d4e"]);
  });

  it("names errors by class, never by message", () => {
    expect(errorName(Object.assign(new Error("Subject: secret"), { name: "ConsentRevoked" }))).toBe("ConsentRevoked");
    expect(errorName(Object.assign(new Error("x"), { name: "a name: with content" }))).toBe("Error");
    expect(errorName("Subject: secret")).toBe("Error");
  });
});

/** An access token from a fake provider, through its real token endpoint. */
async function accessToken(tokens: FakeTokenEndpoint, tokenUrl: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code: tokens.issueCode(), client_id: tokens.clientId, client_secret: tokens.clientSecret });
  return ((await (await fetch(tokenUrl, { method: "POST", body: form })).json()) as { access_token: string }).access_token;
}

describe("connectors against the documented provider answers", () => {
  const walk = async (fetchPage: (cursor: string | null, pageCursor: string | null) => Promise<SyncPage>) => {
    const ids: string[] = [];
    let page = await fetchPage(null, null);
    ids.push(...page.messages.map((m) => m.id));
    while ("pageCursor" in page.next) {
      page = await fetchPage(null, page.next.pageCursor);
      ids.push(...page.messages.map((m) => m.id));
    }
    return { ids, cursor: page.next.cursor };
  };

  it("Graph: immutable ids only when asked for; an expired token as 410 or 400 syncStateNotFound is CursorExpired", async () => {
    const graph = await FakeGraph.start();
    try {
      const added = [1, 2, 3].map((i) => graph.add({ conversationId: `c${i}`, subject: `s${i}`, body: `<p>b${i}</p>`, attachments: [] }));
      const token = await accessToken(graph.tokens, graph.tokenUrl);
      const connector = new GraphConnector({ baseUrl: graph.base, pageSize: 2 });
      const { ids, cursor } = await walk((c, p) => connector.fetchPage(token, { cursor: c, pageCursor: p }));
      expect(ids).toEqual(added.map((m) => m.id));
      // The fake is not lenient: without the Prefer header the same messages carry other ids.
      const plain = (await (await fetch(`${graph.base}/v1.0/me/mailFolders/inbox/messages/delta?$select=subject`, { headers: { authorization: `Bearer ${token}` } })).json()) as { value: { id: string; subject?: string; body?: unknown }[] };
      expect(plain.value.map((m) => m.id)).toEqual(added.map((m) => FakeGraph.restId(m.id)));
      expect(plain.value.every((m) => m.subject !== undefined && m.body === undefined)).toBe(true);

      graph.change(added[0]?.id ?? "", "<p>changed</p>");
      graph.remove(added[1]?.id ?? "");
      const next = await connector.fetchPage(token, { cursor, pageCursor: null });
      expect([next.messages.map((m) => m.text), next.removedIds]).toEqual([["s1\n<p>changed</p>"], [added[1]?.id]]);

      for (const as of ["gone", "bad-request"] as const) {
        graph.expireDeltaTokens(as);
        await expect(connector.fetchPage(token, { cursor, pageCursor: null })).rejects.toBeInstanceOf(CursorExpiredError);
      }
      graph.tokens.revokeAll();
      await expect(connector.fetchPage(token, { cursor: null, pageCursor: null })).rejects.toMatchObject({ statusCode: 401 });
    } finally {
      await graph.stop();
    }
  });

  it("Gmail: a 403 rate limit becomes a retryable 429 (keeping Retry-After); a 404 on history is CursorExpired", async () => {
    const gmail = await FakeGmail.start();
    try {
      const added = [1, 2, 3].map((i) => gmail.add({ threadId: `t${i}`, subject: `s${i}`, body: `<p>b${i}</p>`, attachments: [{ name: "a.pdf", content: "%PDF" }] }));
      const token = await accessToken(gmail.tokens, gmail.tokenUrl);
      const connector = new GmailConnector({ baseUrl: gmail.base, pageSize: 2, concurrency: 2 });
      const { ids, cursor } = await walk((c, p) => connector.fetchPage(token, { cursor: c, pageCursor: p }));
      expect(ids.sort()).toEqual(added.map((m) => m.id).sort());
      // The cursor is the profile's historyId, a uint64 above 2^53, passed through as a string.
      expect(cursor).toBe(gmail.profileHistoryIds[0]);
      expect(BigInt(cursor) > 2n ** 53n).toBe(true);

      gmail.throttle(1, { status: 403, reason: "rateLimitExceeded", retryAfterSeconds: 3 });
      const limited = await connector.fetchPage(token, { cursor, pageCursor: null }).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect(statusOf(limited)).toBe(429);
      expect(retryAfterMs(limited)).toBe(3000);
      expect(JSON.stringify(limited)).not.toContain(token);

      const fresh = gmail.add({ threadId: "t4", subject: "s4", body: "<p>b4</p>", attachments: [] });
      const next = await connector.fetchPage(token, { cursor, pageCursor: null });
      expect(next.messages.map((m) => [m.id, m.text])).toEqual([[fresh.id, "s4\nb4\n<p>b4</p>"]]);
      gmail.expireHistory();
      await expect(connector.fetchPage(token, { cursor, pageCursor: null })).rejects.toBeInstanceOf(CursorExpiredError);
    } finally {
      await gmail.stop();
    }
  });
});
