import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { certFixture, renderPane } from "./pane-fakes";

afterEach(() => {
  cleanup();
});

describe("pane shell", () => {
  it("has the three tabs, starts on This email, and keeps the Certs search under a stacked view", async () => {
    const cert = certFixture({ title: "Plate S355 20 mm" });
    const listCerts = vi.fn(() => Promise.resolve({ items: [cert], nextCursor: null }));
    await renderPane({ api: { listCerts, getCert: () => Promise.resolve(cert), listDocuments: () => Promise.resolve({ items: [] }), listCertActivity: () => Promise.resolve({ items: [] }) } });

    const tabs = screen.getByRole("tablist", { name: "SmartCert sections" });
    expect(within(tabs).getAllByRole("tab")).toHaveLength(3);
    for (const name of ["This email", "Certs", "Settings"]) expect(within(tabs).getByRole("tab", { name })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "This email" }).getAttribute("aria-selected")).toBe("true");
    expect(screen.getByTestId("email-tab")).toBeTruthy();

    fireEvent.click(screen.getByRole("tab", { name: "Certs" }));
    fireEvent.change(await screen.findByRole("searchbox", { name: "Search certs" }), { target: { value: "S355" } });
    const open = await screen.findByRole("button", { name: /^Plate S355 20 mm/ });
    open.focus();
    fireEvent.click(open);

    const detail = await screen.findByTestId("cert-detail");
    expect(await within(detail).findByRole("heading", { name: "Plate S355 20 mm" })).toBeTruthy();
    // The view's title takes focus, so keyboard users start there.
    expect(document.activeElement?.textContent).toBe("Plate S355 20 mm");

    fireEvent.click(screen.getByRole("button", { name: /Back/ }));
    expect(screen.queryByTestId("cert-detail")).toBeNull();
    expect(document.activeElement?.textContent).toContain("Plate S355 20 mm");
    expect(screen.getByRole<HTMLInputElement>("searchbox", { name: "Search certs" }).value).toBe("S355");
  });

  it("goes back with Escape and closes stacked views when another email is selected", async () => {
    const cert = certFixture();
    const { host } = await renderPane({
      api: {
        listCerts: () => Promise.resolve({ items: [cert], nextCursor: null }),
        getCert: () => Promise.resolve(cert),
        listDocuments: () => Promise.resolve({ items: [] }),
        listCertActivity: () => Promise.resolve({ items: [] }),
      },
    });
    fireEvent.click(await within(await screen.findByTestId("reference-po-4512")).findByRole("button", { name: new RegExp(`^${cert.title}`) }));
    const detail = await screen.findByTestId("cert-detail");
    fireEvent.keyDown(detail, { key: "Escape" });
    expect(screen.queryByTestId("cert-detail")).toBeNull();

    fireEvent.click(await within(screen.getByTestId("reference-po-4512")).findByRole("button", { name: new RegExp(`^${cert.title}`) }));
    await screen.findByTestId("cert-detail");
    act(() => {
      host.select("msg-newsletter");
    });
    expect(screen.queryByTestId("cert-detail")).toBeNull();
    expect(screen.getByTestId("current-item-subject").textContent).toContain("Metals Weekly");
  });

  it("opens the create view from an email with attachments, keeps it across emails, and cancels back", async () => {
    const { host } = await renderPane({ itemKey: "msg-mill-certs", api: {} });
    fireEvent.click(await screen.findByRole("button", { name: "Create cert from attachments" }));
    expect(await screen.findByTestId("create-cert")).toBeTruthy();
    act(() => {
      host.select("msg-newsletter");
    });
    expect(screen.getByTestId("create-cert")).toBeTruthy();
    act(() => {
      host.select("msg-mill-certs");
    });
    fireEvent.click(await within(screen.getByTestId("create-cert")).findByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("create-cert")).toBeNull();
    expect(screen.getByTestId("email-tab")).toBeTruthy();
  });

  it("shows the settings view on the Settings tab without the account header", async () => {
    await renderPane({ api: {} });
    fireEvent.click(screen.getByRole("tab", { name: "Settings" }));
    expect(screen.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");
    expect(screen.queryByTestId("email-tab")).toBeNull();
    expect(screen.getByRole("tabpanel")).toBeTruthy();
  });
});
