import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChangeList } from "../../shared/protocol/sync";
import { FakeEventSource } from "../support/fake-event-source";
import { certFixture, renderPane } from "./pane-fakes";

/**
 * The signed-in pane follows the change stream: the Certs tab counts the certs changed since the
 * user last looked at it (in its accessible name, and said politely), lists refresh, and the
 * stream reconnects with a new ticket — after an error (with backoff) and at expiry.
 */
beforeEach(() => {
  FakeEventSource.reset();
  vi.stubGlobal("EventSource", FakeEventSource);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function liveApi() {
  let tickets = 0;
  const pending: ChangeList["items"][] = [];
  const plate = certFixture({ title: "Plate arriving live" });
  const listCerts = vi.fn(() => Promise.resolve({ items: [plate], nextCursor: null }));
  const api = {
    listCerts,
    createStreamTicket: vi.fn(() => {
      tickets++;
      return Promise.resolve({ ticket: `t${tickets}`, url: `http://localhost:3000/api/v1/changes/stream?ticket=t${tickets}`, expiresAt: "2026-11-23T02:00:00.000Z" });
    }),
    getChanges: vi.fn((query: { cursor?: string; latest?: boolean }) => {
      if (query.latest) return Promise.resolve({ items: [], cursor: "start", hasMore: false });
      return Promise.resolve({ items: pending.shift() ?? [], cursor: "next", hasMore: false });
    }),
  };
  /** The server has these changes for the next getChanges. */
  const certs = new Map<string, ReturnType<typeof certFixture>>();
  const cert = (title: string) => certs.get(title) ?? certs.set(title, certFixture({ title })).get(title) ?? certFixture();
  const queue = (...titles: string[]) => pending.push(titles.map((title) => ({ cert: cert(title), kinds: ["received" as const] })));
  return { api, listCerts, queue };
}

async function currentSource(ticket: string): Promise<FakeEventSource> {
  return waitFor(
    () => {
      const open = FakeEventSource.open();
      expect(open.map((s) => s.url)).toEqual([`http://localhost:3000/api/v1/changes/stream?ticket=${ticket}`]);
      return open[0] as FakeEventSource;
    },
    { timeout: 3000 },
  );
}

const certsTab = (name: string | RegExp) => screen.getByRole("tab", { name });

describe("live changes in the pane", () => {
  it("counts changed certs on the Certs tab, refreshes lists, clears when the tab is shown, and stops on sign-out", async () => {
    const { api, listCerts, queue } = liveApi();
    await renderPane({ api });
    const source = await currentSource("t1");
    // The pane started at the newest change: nothing old is counted.
    expect(api.getChanges).toHaveBeenCalledWith({ latest: true });
    source.emit("ready");
    await waitFor(() => {
      expect(api.getChanges).toHaveBeenCalledWith({ cursor: "start", limit: 100 });
    });
    expect(certsTab("Certs")).toBeTruthy();

    const listedBefore = listCerts.mock.calls.length;
    queue("Plate A", "Plate B");
    source.emit("changed");
    expect(await screen.findByRole("tab", { name: "Certs, 2 new" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("2 certs changed: see the Certs tab.");
    expect(screen.getAllByTestId("certs-tab-badge")[0]?.textContent).toBe("2");
    // The email's reference matches are cert lists too: refetched.
    await waitFor(() => {
      expect(listCerts.mock.calls.length).toBeGreaterThan(listedBefore);
    });
    queue("Plate B", "Plate C");
    source.emit("changed");
    expect(await screen.findByRole("tab", { name: "Certs, 3 new" })).toBeTruthy();

    fireEvent.click(certsTab("Certs, 3 new"));
    expect(await screen.findByRole("button", { name: /^Plate arriving live/ })).toBeTruthy();
    expect(certsTab("Certs")).toBeTruthy();
    expect(screen.queryByTestId("certs-tab-badge")).toBeNull();
    expect(screen.getByRole("status").textContent).toBe("");
    // While the list is shown, a change refreshes it and is not counted.
    const listedOnTab = listCerts.mock.calls.length;
    queue("Plate D");
    source.emit("changed");
    await waitFor(() => {
      expect(listCerts.mock.calls.length).toBeGreaterThan(listedOnTab);
    });
    expect(certsTab("Certs")).toBeTruthy();

    fireEvent.click(screen.getByRole("tab", { name: "This email" }));
    queue("Plate E");
    source.emit("changed");
    expect(await screen.findByRole("tab", { name: "Certs, 1 new" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("1 cert changed: see the Certs tab.");

    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByRole("button", { name: /Sign in/ });
    expect(source.closed).toBe(true);
    expect(FakeEventSource.open()).toEqual([]);
  });

  it("takes a new ticket after an error (after a backoff) and at expiry, and catches up on each ready", async () => {
    const { api, queue } = liveApi();
    await renderPane({ api });
    const first = await currentSource("t1");
    first.emit("ready");
    first.fail();
    expect(first.closed).toBe(true);
    // Not at once: the first retry waits 0.5–1 s.
    expect(api.createStreamTicket).toHaveBeenCalledTimes(1);
    const second = await currentSource("t2");
    // Changes made while no stream was open are read when the new one is ready.
    queue("Made while reconnecting");
    second.emit("ready");
    expect(await screen.findByRole("tab", { name: "Certs, 1 new" })).toBeTruthy();

    second.emit("expired");
    expect(second.closed).toBe(true);
    const third = await currentSource("t3");
    third.emit("ready");
    queue("After expiry");
    third.emit("changed");
    expect(await screen.findByRole("tab", { name: "Certs, 2 new" })).toBeTruthy();
    expect(api.createStreamTicket).toHaveBeenCalledTimes(3);
    // Only the ticket travels in the URL.
    for (const s of FakeEventSource.instances) expect(s.url).toMatch(/\/api\/v1\/changes\/stream\?ticket=t\d$/);
  });

  it("closes the stream while the pane's document is hidden and reconnects when it is shown", async () => {
    const { api } = liveApi();
    await renderPane({ api });
    const first = await currentSource("t1");
    const hidden = vi.spyOn(document, "hidden", "get").mockReturnValue(true);
    document.dispatchEvent(new Event("visibilitychange"));
    expect(first.closed).toBe(true);
    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event("visibilitychange"));
    await currentSource("t2");
  });
});
