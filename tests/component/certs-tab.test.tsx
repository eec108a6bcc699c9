import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../shared/api/client";
import { problemTypes } from "../../shared/protocol/problem";
import type { Cert } from "../../shared/protocol/certs";
import { certFixture, receiverAccess, renderPane } from "./pane-fakes";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function openCertsTab() {
  fireEvent.click(screen.getByRole("tab", { name: "Certs" }));
  return screen.findByTestId("certs-tab");
}

describe("Certs tab", () => {
  it("searches with a scope and pages with Load more", async () => {
    const first = [certFixture({ title: "First page cert" })];
    const second = [certFixture({ title: "Second page cert", access: receiverAccess })];
    const listCerts = vi.fn((query: { q?: string; scope?: string; cursor?: string }) =>
      Promise.resolve(query.cursor === "next" ? { items: second, nextCursor: null } : { items: first, nextCursor: "next" }),
    );
    await renderPane({ itemKey: null, api: { listCerts } });
    const tab = await openCertsTab();
    expect(await within(tab).findByRole("button", { name: /^First page cert/ })).toBeTruthy();
    fireEvent.click(within(tab).getByRole("button", { name: "Load more" }));
    expect(await within(tab).findByRole("button", { name: /^Second page cert/ })).toBeTruthy();
    expect(within(tab).getByTestId("cert-list").textContent).toContain("Received");
    expect(within(tab).queryByRole("button", { name: "Load more" })).toBeNull();

    fireEvent.change(within(tab).getByRole("combobox", { name: "Show" }), { target: { value: "received" } });
    fireEvent.change(within(tab).getByRole("searchbox", { name: "Search certs" }), { target: { value: "8H1234" } });
    await waitFor(() => {
      expect(listCerts).toHaveBeenLastCalledWith({ q: "8H1234", scope: "received", limit: 25 }, expect.anything());
    });
  });

  it("says when nothing matches", async () => {
    await renderPane({ itemKey: null, api: { listCerts: () => Promise.resolve({ items: [], nextCursor: null }) } });
    const tab = await openCertsTab();
    expect((await within(tab).findByTestId("certs-empty")).textContent).toBe("No certs found.");
  });

  it("shows the problem with Retry when listing fails", async () => {
    let calls = 0;
    const listCerts = vi.fn(() => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new ApiError({ type: problemTypes.unavailable, title: "The network is resting", status: 503 }))
        : Promise.resolve({ items: [certFixture({ title: "Back again" })], nextCursor: null });
    });
    await renderPane({ itemKey: null, api: { listCerts } });
    const tab = await openCertsTab();
    expect((await within(tab).findByTestId("pane-error")).textContent).toContain("The network is resting");
    fireEvent.click(within(tab).getByRole("button", { name: "Retry" }));
    expect(await within(tab).findByRole("button", { name: /^Back again/ })).toBeTruthy();
  });
});

describe("cert detail", () => {
  const docs = {
    items: [
      {
        id: "00000000-0000-4000-8000-0000000000d1",
        certId: "x",
        latestVersion: 2,
        versions: [
          { version: 1, fileName: "mill-cert.pdf", contentType: "application/pdf", size: 10, sha256: "a", createdAt: "2026-11-19T08:00:00.000Z" },
          { version: 2, fileName: "mill-cert.pdf", contentType: "application/pdf", size: 12, sha256: "b", createdAt: "2026-11-20T08:00:00.000Z" },
        ],
      },
    ],
  };

  async function openDetail(cert: Cert, api: Parameters<typeof renderPane>[0]["api"] = {}, itemKey: string | null = null) {
    const { host } = await renderPane({
      itemKey,
      api: { listCerts: () => Promise.resolve({ items: [cert], nextCursor: null }), getCert: () => Promise.resolve(cert), listDocuments: () => Promise.resolve(docs), ...api },
    });
    const tab = await openCertsTab();
    fireEvent.click(await within(tab).findByRole("button", { name: new RegExp(`^${cert.title}`) }));
    const detail = await screen.findByTestId("cert-detail");
    await within(detail).findByRole("heading", { name: cert.title });
    return Object.assign(detail, { host });
  }

  it("shows numbers, metadata, documents with versions, and opens a signed URL", async () => {
    const cert = certFixture({ title: "Plate detail", certNumbers: ["C-77"], metadata: { Grade: "S355J2+N" } });
    const getDocumentUrl = vi.fn(() => Promise.resolve({ url: "http://localhost:3000/d/signed", expiresAt: "2026-11-21T08:00:00.000Z" }));
    const open = vi.spyOn(window, "open").mockReturnValue(null);
    const detail = await openDetail(cert, { getDocumentUrl, listCertActivity: () => Promise.resolve({ items: [] }) });

    const facts = within(detail).getByTestId("cert-facts").textContent;
    expect(facts).toContain("4512");
    expect(facts).toContain("C-77");
    expect(facts).toContain("S355J2+N");
    fireEvent.click(await within(detail).findByRole("button", { name: "Open mill-cert.pdf (version 2)" }));
    await waitFor(() => {
      expect(open).toHaveBeenCalledWith("http://localhost:3000/d/signed", "_blank", "noopener,noreferrer");
    });
    expect(getDocumentUrl).toHaveBeenCalledWith(cert.id, docs.items[0]?.id, 2);
    fireEvent.click(within(detail).getByRole("button", { name: "Open mill-cert.pdf (version 1)" }));
    await waitFor(() => {
      expect(getDocumentUrl).toHaveBeenLastCalledWith(cert.id, docs.items[0]?.id, 1);
    });
  });

  it("attaches a document to the email being written", async () => {
    const cert = certFixture({ title: "Plate to attach" });
    const getDocumentUrl = vi.fn(() => Promise.resolve({ url: "http://localhost:3000/d/signed", expiresAt: "2026-11-21T08:00:00.000Z" }));
    const fetchMock = vi.fn(() => Promise.resolve(new Response("%PDF-1.4", { headers: { "content-type": "application/pdf" } })));
    vi.stubGlobal("fetch", fetchMock);
    try {
      const detail = await openDetail(cert, { getDocumentUrl, listCertActivity: () => Promise.resolve({ items: [] }) }, "draft-reply-4512");
      fireEvent.click(await within(detail).findByRole("button", { name: "Attach mill-cert.pdf to the email" }));
      expect(await within(detail).findByText("mill-cert.pdf is attached to the email.")).toBeTruthy();
      expect(fetchMock).toHaveBeenCalledWith("http://localhost:3000/d/signed");
      expect(detail.host.outbox.at(-1)).toEqual({ kind: "attached", itemKey: "draft-reply-4512", name: "mill-cert.pdf", type: "application/pdf", size: 8 });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("shows activity to the owner side", async () => {
    const cert = certFixture({ title: "Owned plate" });
    const listCertActivity = vi.fn(() =>
      Promise.resolve({
        items: [{ id: "00000000-0000-4000-8000-0000000000a1", type: "created" as const, actor: { userId: "u", displayName: "Walt Writer", orgName: "Demo Metals" }, detail: {}, createdAt: "2026-11-20T08:00:00.000Z" }],
      }),
    );
    const detail = await openDetail(cert, { listCertActivity });
    expect((await within(detail).findByTestId("activity")).textContent).toContain("Created by Walt Writer (Demo Metals)");
    expect(within(detail).getByRole("button", { name: "Share" })).toBeTruthy();
    expect(within(detail).queryByRole("button", { name: "Copy to my organization" })).toBeNull();
  });

  it("lets a receiver copy the cert and opens the copy", async () => {
    const cert = certFixture({ title: "Received plate", access: receiverAccess, publicLink: null });
    const copy = certFixture({ title: "Received plate (copy)", copiedFrom: cert.id });
    const copyCert = vi.fn(() => Promise.resolve(copy));
    const detail = await openDetail(cert, { copyCert, listCertActivity: () => Promise.resolve({ items: [] }) });
    expect(within(detail).queryByTestId("activity")).toBeNull();
    fireEvent.click(within(detail).getByRole("button", { name: "Copy to my organization" }));
    expect(await screen.findByRole("heading", { name: "Received plate (copy)" })).toBeTruthy();
    expect(copyCert).toHaveBeenCalledWith(cert.id);
  });
});
