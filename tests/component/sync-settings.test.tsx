import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { MailboxSyncSection } from "../../shared/pane/settings/MailboxSyncSection";
import type { MailboxConnection } from "../../shared/protocol/sync";
import { fakeApi, renderInPane } from "./fake-api";

/** Settings → Mailbox sync: state, last sync, failures (names only), Sync now and Disconnect. */
const graph: MailboxConnection = {
  id: "00000000-0000-4000-8000-0000000000a1", provider: "graph", status: "active", lastSyncAt: "2026-11-22T10:00:00.000Z", lastError: null,
  failures: [{ recordId: "AAMk-1", errorName: "LinkNotFound", failedAt: "2026-11-22T09:00:00.000Z" }],
};
const gmail: MailboxConnection = { id: "00000000-0000-4000-8000-0000000000a2", provider: "gmail", status: "needs-user", lastSyncAt: null, lastError: "ConsentRevoked", failures: [] };
const host = () => new FakeHost({ mailbox: sampleMailbox, auth: createFakeAuth({ signedIn: true }) });

afterEach(() => {
  cleanup();
});

describe("mailbox sync settings", () => {
  it("lists connections with their state and failures, syncs and disconnects", async () => {
    let items = [graph, gmail];
    const listMailboxConnections = vi.fn(() => Promise.resolve({ items }));
    const syncMailbox = vi.fn(() => Promise.resolve());
    const disconnectMailbox = vi.fn((id: string) => {
      items = items.filter((c) => c.id !== id);
      return Promise.resolve();
    });
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections, syncMailbox, disconnectMailbox }) });

    const microsoft = await screen.findByRole("listitem", { name: "Microsoft 365" });
    expect(microsoft.textContent).toContain("Connected");
    expect(within(microsoft).getByRole("list", { name: "Messages that failed (last 14 days)" }).textContent).toContain("LinkNotFound");
    const google = screen.getByRole("listitem", { name: "Gmail" });
    expect(google.textContent).toContain("Needs you: connect again");
    expect(google.textContent).toContain("ConsentRevoked");
    expect(google.textContent).toContain("not yet");
    expect(within(google).getByRole<HTMLButtonElement>("button", { name: "Sync Gmail now" }).disabled).toBe(true);

    fireEvent.click(within(microsoft).getByRole("button", { name: "Sync Microsoft 365 now" }));
    await waitFor(() => {
      expect(syncMailbox).toHaveBeenCalledWith(graph.id);
    });
    fireEvent.click(within(google).getByRole("button", { name: "Disconnect Gmail" }));
    await waitFor(() => {
      expect(screen.queryByRole("listitem", { name: "Gmail" })).toBeNull();
    });
    expect(disconnectMailbox).toHaveBeenCalledWith(gmail.id);
  });

  it("says what sync does when nothing is connected, in Swedish too", async () => {
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }) }), locale: "sv" });
    expect((await screen.findByText(/Ingen brevlåda är ansluten/)).textContent).toContain("SmartCert-länkar");
    expect(screen.getByRole("heading", { name: "Synkning av brevlåda" })).toBeTruthy();
  });
});
