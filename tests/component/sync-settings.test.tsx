import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../shared/api/http";
import type { ClientConfig } from "../../shared/protocol/client-config";
import { problemTypes } from "../../shared/protocol/problem";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";
import { MailboxSyncSection } from "../../shared/pane/settings/MailboxSyncSection";
import type { MailboxConnection } from "../../shared/protocol/sync";
import { fakeApi, renderInPane } from "./fake-api";

/**
 * Settings → Mailbox sync: state, last sync, failures (names only), Sync now and Disconnect; and
 * connecting: a button per provider the server offers, the consent URL opened through the host (or
 * shown as a link), "Waiting for …" with Cancel while the list is polled, "Connect again" on a
 * connection that needs the user.
 */
const graph: MailboxConnection = {
  id: "00000000-0000-4000-8000-0000000000a1", provider: "graph", status: "active", lastSyncAt: "2026-11-22T10:00:00.000Z", lastError: null,
  failures: [{ recordId: "AAMk-1", errorName: "LinkNotFound", failedAt: "2026-11-22T09:00:00.000Z" }],
};
const gmail: MailboxConnection = { id: "00000000-0000-4000-8000-0000000000a2", provider: "gmail", status: "needs-user", lastSyncAt: null, lastError: "ConsentRevoked", failures: [] };
const host = (openInBrowser?: ((url: string) => void) | false) =>
  new FakeHost({ mailbox: sampleMailbox, auth: createFakeAuth({ signedIn: true }), openInBrowser: openInBrowser ?? (() => undefined) });
const config = (mailboxProviders: ClientConfig["mailboxProviders"]) => () =>
  Promise.resolve<ClientConfig>({ apiBase: "https://x.example/api/v1", oidc: { issuer: "https://x.example/oidc", clientId: "pane", scopes: ["openid"] }, ...(mailboxProviders ? { mailboxProviders } : {}) });
const authorizeUrl = "https://accounts.example/auth?state=s1";

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
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections, syncMailbox, disconnectMailbox, getClientConfig: config(undefined) }) });

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
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }), getClientConfig: config(["graph", "gmail"]) }), locale: "sv" });
    expect((await screen.findByText(/Ingen brevlåda är ansluten/)).textContent).toContain("SmartCert-länkar");
    expect(screen.getByRole("heading", { name: "Synkning av brevlåda" })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Anslut Microsoft 365" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Anslut Gmail" })).toBeTruthy();
  });

  it("offers a Connect button only for providers the server enables and the user has not connected", async () => {
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [graph] }), getClientConfig: config(["graph", "gmail"]) }) });
    expect(await screen.findByRole("button", { name: "Connect Gmail" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Connect Microsoft 365" })).toBeNull();
    cleanup();

    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }), getClientConfig: config(["gmail"]) }) });
    expect(await screen.findByRole("button", { name: "Connect Gmail" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Connect Microsoft 365" })).toBeNull();
    cleanup();

    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }), getClientConfig: config(undefined) }) });
    expect(await screen.findByText("No mailbox provider is set up on this server.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Connect/ })).toBeNull();
  });

  it("opens the consent page through the host, waits with Cancel, then polls until the mailbox is connected", { timeout: 15_000 }, async () => {
    let items: MailboxConnection[] = [];
    const listMailboxConnections = vi.fn(() => Promise.resolve({ items }));
    const beginMailboxAuthorization = vi.fn(() => Promise.resolve({ authorizeUrl, expiresAt: "2026-11-22T10:10:00.000Z" }));
    const opened: string[] = [];
    renderInPane(<MailboxSyncSection />, { host: host((url) => opened.push(url)), api: fakeApi({ listMailboxConnections, beginMailboxAuthorization, getClientConfig: config(["graph", "gmail"]) }) });

    fireEvent.click(await screen.findByRole("button", { name: "Connect Gmail" }));
    const waiting = await screen.findByTestId("mailbox-connect-waiting");
    expect(waiting.textContent).toContain("Waiting for Gmail…");
    expect(beginMailboxAuthorization).toHaveBeenCalledWith("gmail");
    expect(opened).toEqual([authorizeUrl]);
    expect(within(waiting).getByRole("link", { name: "Open the sign-in page again" }).getAttribute("href")).toBe(authorizeUrl);
    expect(screen.queryByRole("button", { name: "Connect Microsoft 365" })).toBeNull();

    // Cancel: back to the buttons, and no more polling.
    fireEvent.click(within(waiting).getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("button", { name: "Connect Gmail" })).toBeTruthy();
    const callsAfterCancel = listMailboxConnections.mock.calls.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(listMailboxConnections.mock.calls.length).toBe(callsAfterCancel);

    fireEvent.click(screen.getByRole("button", { name: "Connect Gmail" }));
    await screen.findByTestId("mailbox-connect-waiting");
    const before = listMailboxConnections.mock.calls.length;
    items = [{ ...gmail, status: "active", lastError: null }];
    expect(await screen.findByText(/Gmail is connected/, undefined, { timeout: 5000 })).toBeTruthy();
    expect(listMailboxConnections.mock.calls.length).toBeGreaterThan(before);
    expect(screen.getByRole("listitem", { name: "Gmail" }).textContent).toContain("Connected");
    expect(screen.queryByTestId("mailbox-connect-waiting")).toBeNull();
  });

  it("shows the consent page as a link on a host that cannot open a browser window", async () => {
    renderInPane(<MailboxSyncSection />, {
      host: host(false),
      api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }), beginMailboxAuthorization: () => Promise.resolve({ authorizeUrl, expiresAt: "2026-11-22T10:10:00.000Z" }), getClientConfig: config(["graph"]) }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Connect Microsoft 365" }));
    const link = await screen.findByRole("link", { name: "Open the Microsoft 365 sign-in page" });
    expect(link.getAttribute("href")).toBe(authorizeUrl);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toContain("noopener");
  });

  it("offers Connect again on a connection that needs the user, and sees it renewed", { timeout: 15_000 }, async () => {
    let items: MailboxConnection[] = [gmail];
    const beginMailboxAuthorization = vi.fn(() => Promise.resolve({ authorizeUrl, expiresAt: "2026-11-22T10:10:00.000Z" }));
    renderInPane(<MailboxSyncSection />, { host: host(), api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items }), beginMailboxAuthorization, getClientConfig: config(["gmail"]) }) });
    const row = await screen.findByRole("listitem", { name: "Gmail" });
    const again = await within(row).findByRole("button", { name: "Connect Gmail again" });
    expect(screen.queryByRole("button", { name: "Connect Gmail" })).toBeNull();
    fireEvent.click(again);
    await screen.findByTestId("mailbox-connect-waiting");
    expect(within(screen.getByRole("listitem", { name: "Gmail" })).getByRole<HTMLButtonElement>("button", { name: "Connect Gmail again" }).disabled).toBe(true);
    items = [{ ...gmail, status: "active", lastError: null }];
    expect(await screen.findByText(/Gmail is connected/, undefined, { timeout: 5000 })).toBeTruthy();
    expect(beginMailboxAuthorization).toHaveBeenCalledWith("gmail");
    expect(screen.queryByRole("button", { name: "Connect Gmail again" })).toBeNull();
  });

  it("says so when the server refuses to start the flow", async () => {
    const refused = new ApiError({ type: problemTypes.conflict, title: "This mailbox provider is not set up on this server", status: 409 });
    renderInPane(<MailboxSyncSection />, {
      host: host(),
      api: fakeApi({ listMailboxConnections: () => Promise.resolve({ items: [] }), beginMailboxAuthorization: () => Promise.reject(refused), getClientConfig: config(["gmail"]) }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Connect Gmail" }));
    expect(await screen.findByTestId("pane-error")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Connect Gmail" })).toBeTruthy();
    expect(screen.queryByTestId("mailbox-connect-waiting")).toBeNull();
  });
});
