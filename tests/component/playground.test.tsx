import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../shared/api/client";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { loadAllPaneViews } from "../../shared/pane/shell/lazy-views";
import { Playground } from "../../shared/playground/Playground";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";

const me = {
  user: {
    id: "00000000-0000-4000-8000-000000000101",
    displayName: "Ada Admin",
    orgId: "00000000-0000-4000-8000-000000000001",
    roles: ["admin"],
    locationIds: ["00000000-0000-4000-8000-000000000011"],
  },
  org: { id: "00000000-0000-4000-8000-000000000001", name: "Demo Metals" },
};

// The views' code is split off (lazy-views.ts); loaded up front, tests wait on data, not on imports.
beforeAll(loadAllPaneViews);

afterEach(() => {
  cleanup();
});

describe("playground", () => {
  it("drives the pane's current item from the simulated mailbox and shows the host outbox", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-po-4512", auth: createFakeAuth({ signedIn: true }) });
    const api = createApiClient({
      baseUrl: "http://localhost:3000/api/v1",
      getToken: () => host.auth.getAccessToken(),
      fetch: () => Promise.resolve(Response.json(me)),
    });
    render(<Playground host={host} api={api} />);

    expect(screen.getByRole("heading", { level: 1, name: "SmartCert Inbox playground" })).toBeTruthy();
    const mailbox = screen.getByRole("navigation", { name: "Mailbox" });
    const inbox = within(mailbox).getAllByRole("listitem");
    expect(inbox.length).toBeGreaterThanOrEqual(6);
    expect((await screen.findByTestId("me-display-name")).textContent).toBe("Ada Admin");

    fireEvent.click(within(mailbox).getByRole("button", { name: /Inspection certificates, delivery 7781/ }));
    expect(screen.getByTestId("current-item-subject").textContent).toContain("delivery 7781");
    expect(screen.getByRole("heading", { level: 3, name: "Attachments" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "BSM-2026-11873_8H1234.pdf" })).toBeTruthy();

    fireEvent.click(within(mailbox).getByRole("button", { name: /RE: Certs for PO 4512/ }));
    expect(screen.getByRole("heading", { level: 2, name: /Compose: RE: Certs for PO 4512/ })).toBeTruthy();
    await act(() => host.insertIntoCompose({ html: "<p>cert link</p>" }));
    expect(screen.getByTestId("outbox").textContent).toContain("<p>cert link</p>");

    fireEvent.click(within(mailbox).getByRole("button", { name: "Clear selection (no item)" }));
    expect(screen.getByTestId("current-item").textContent).toContain("Select an email");
  });

  it("opens the pane at the start view chosen in the header, or alone with the pane-only layout", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "msg-po-4512", auth: createFakeAuth({ signedIn: true }) });
    const api = createApiClient({ baseUrl: "http://localhost:3000/api/v1", getToken: () => host.auth.getAccessToken(), fetch: () => Promise.resolve(Response.json(me)) });
    const { unmount } = render(<Playground host={host} api={api} startView="certs" />);
    await screen.findByTestId("me-display-name");
    expect(screen.getByRole("tab", { name: "Certs" }).getAttribute("aria-selected")).toBe("true");
    fireEvent.change(screen.getByRole("combobox", { name: "Open pane at" }), { target: { value: "settings" } });
    expect(screen.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");
    unmount();

    render(<Playground host={host} api={api} paneOnly />);
    expect(await screen.findByRole("main", { name: "SmartCert task pane" })).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Mailbox" })).toBeNull();
  });
});
