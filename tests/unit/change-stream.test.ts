import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, ChangeStream, backoffDelay } from "../../shared/pane/changes/change-stream";
import type { ChangeList } from "../../shared/protocol/sync";
import { FakeEventSource } from "../support/fake-event-source";

/**
 * The pane's change stream without React: tickets, reconnects and feed reading, against a fake
 * EventSource, a scripted feed and a clock the test turns by hand.
 */
function harness(feed: (cursor: string | undefined) => ChangeList = (cursor) => ({ items: [], cursor: cursor ?? "c0", hasMore: false })) {
  const sources: FakeEventSource[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const calls = { tickets: 0, reads: [] as (string | undefined)[] };
  const batches: string[][] = [];
  const stream = new ChangeStream({
    api: {
      createStreamTicket: () => {
        calls.tickets++;
        return Promise.resolve({ ticket: `t${calls.tickets}`, url: `https://api.example/api/v1/changes/stream?ticket=t${calls.tickets}`, expiresAt: "2026-11-23T00:00:00Z" });
      },
      getChanges: (query) => {
        if (query.latest) return Promise.resolve({ items: [], cursor: "c0", hasMore: false });
        calls.reads.push(query.cursor);
        return Promise.resolve(feed(query.cursor));
      },
    },
    openEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    onChanges: (ids) => batches.push([...ids]),
    random: () => 0.5,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { cleared: boolean }).cleared = true;
    },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const fire = async () => {
    const timer = timers.find((t) => !t.cleared);
    if (!timer) throw new Error("no timer pending");
    timer.cleared = true;
    timer.callback();
    await settle();
  };
  return { stream, sources, timers, calls, batches, settle, fire };
}

const item = (id: string) => ({ cert: { id } as ChangeList["items"][number]["cert"], kinds: ["received" as const] });

describe("change stream (pane)", () => {
  it("backs off exponentially with jitter, up to a cap", () => {
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(30, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(30, () => 0)).toBe(BACKOFF_CAP_MS / 2);
  });

  it("opens with a ticket's URL, starts at the newest change, and reads the feed on each hint, page by page", async () => {
    const pages: Record<string, ChangeList> = {
      c0: { items: [item("a"), item("b")], cursor: "c1", hasMore: true },
      c1: { items: [item("b"), item("c")], cursor: "c2", hasMore: false },
      c2: { items: [], cursor: "c2", hasMore: false },
    };
    const h = harness((cursor) => pages[cursor ?? ""] ?? { items: [], cursor: "??", hasMore: false });
    h.stream.start();
    await h.settle();
    expect(h.sources.map((s) => s.url)).toEqual(["https://api.example/api/v1/changes/stream?ticket=t1"]);
    h.sources[0]?.emit("ready");
    await h.settle();
    expect(h.batches).toEqual([["a", "b", "c"]]);
    h.sources[0]?.emit("changed");
    await h.settle();
    // Caught up: the next read starts from the last cursor, and an empty answer reports nothing.
    expect(h.calls.reads).toEqual(["c0", "c1", "c2"]);
    expect(h.batches).toHaveLength(1);
    h.stream.stop();
  });

  it("after an error closes the source and takes a NEW ticket after the backoff; after expiry at once", async () => {
    const h = harness();
    h.stream.start();
    await h.settle();
    const first = h.sources[0];
    first?.fail();
    expect(first?.closed).toBe(true);
    expect(h.timers.map((t) => t.ms)).toEqual([750]);
    await h.fire();
    expect(h.calls.tickets).toBe(2);
    expect(h.sources[1]?.url).toContain("ticket=t2");
    h.sources[1]?.fail();
    expect(h.timers.map((t) => t.ms)).toEqual([750, 1500]);
    await h.fire();
    // A stream that reached `ready` resets the backoff.
    h.sources[2]?.emit("ready");
    await h.settle();
    h.sources[2]?.emit("expired");
    expect(h.sources[2]?.closed).toBe(true);
    await h.settle();
    expect(h.calls.tickets).toBe(4);
    expect(h.sources[3]?.url).toContain("ticket=t4");
    h.sources[3]?.fail();
    expect(h.timers.at(-1)?.ms).toBe(750);
    h.stream.stop();
  });

  it("stops: closes the source, cancels a pending reconnect, and ignores the old source", async () => {
    const h = harness((cursor) => ({ items: [item("x")], cursor: `${cursor ?? ""}+`, hasMore: false }));
    h.stream.start();
    await h.settle();
    const source = h.sources[0];
    source?.fail();
    h.stream.stop();
    expect(h.timers[0]?.cleared).toBe(true);
    expect(source?.closed).toBe(true);
    h.stream.start();
    await h.settle();
    expect(h.sources).toHaveLength(2);
    h.stream.stop();
    expect(h.sources[1]?.closed).toBe(true);
    expect(h.batches).toEqual([]);
  });

  it("retries with backoff when the ticket itself cannot be had", async () => {
    const h = harness();
    let refuse = true;
    const api = { createStreamTicket: () => (refuse ? Promise.reject(new Error("offline")) : Promise.resolve({ ticket: "t", url: "https://api.example/s?ticket=t", expiresAt: "x" })), getChanges: () => Promise.resolve({ items: [], cursor: "c0", hasMore: false }) };
    const stream = new ChangeStream({ api, openEventSource: (url) => new FakeEventSource(url), onChanges: () => undefined, random: () => 0, setTimer: (callback, ms) => h.timers.push({ callback, ms, cleared: false }), clearTimer: () => undefined });
    stream.start();
    await h.settle();
    expect(h.timers.map((t) => t.ms)).toEqual([500]);
    refuse = false;
    await h.fire();
    expect(h.timers).toHaveLength(1);
    stream.stop();
  });
});
