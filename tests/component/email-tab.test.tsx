import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../shared/api/client";
import { problemTypes } from "../../shared/protocol/problem";
import { SAMPLE_TOKEN, certFixture, notFound, receiverAccess, renderPane } from "./pane-fakes";

afterEach(() => {
  cleanup();
});

const rita = {
  userId: "00000000-0000-4000-8000-000000000103",
  displayName: "Rita Reader",
  orgName: "Demo Metals",
  locations: [{ id: "00000000-0000-4000-8000-000000000012", name: "Houston Sales" }],
};

describe("This email tab", () => {
  it("resolves a sender on the network: name, company and locations", async () => {
    const lookupUserByEmail = vi.fn(() => Promise.resolve(rita));
    await renderPane({ itemKey: "msg-colleague", api: { lookupUserByEmail } });
    expect((await screen.findByTestId("sender-name")).textContent).toBe("Rita Reader");
    expect(screen.getByTestId("sender").textContent).toContain("Demo Metals");
    expect(screen.getByTestId("sender").textContent).toContain("Locations: Houston Sales");
    expect(lookupUserByEmail).toHaveBeenCalledWith("rita.reader@demo-metals.example", expect.anything());
  });

  it("says when the sender is not on the network, with an invite hint", async () => {
    await renderPane({ itemKey: "msg-unknown-sender", api: {} });
    const message = await screen.findByTestId("sender-not-on-network");
    expect(message.textContent).toContain("Not on the SmartCert network");
    expect(message.textContent).toContain("Invite J. Smith");
  });

  it("lists each reference with the certs that carry exactly that number", async () => {
    const exact = certFixture({ title: "Plate for PO 4512", poNumbers: ["4512"], heatNumbers: [] });
    const similar = certFixture({ title: "Plate for PO 45120", poNumbers: ["45120"], heatNumbers: [] });
    const listCerts = vi.fn((query: { q?: string }) => Promise.resolve({ items: query.q === "4512" ? [exact, similar] : [], nextCursor: null }));
    await renderPane({ api: { listCerts } });

    const po = await screen.findByTestId("reference-po-4512");
    expect(within(po).getByText("PO 4512")).toBeTruthy();
    expect(await within(po).findByRole("button", { name: /^Plate for PO 4512/ })).toBeTruthy();
    expect(within(po).queryByText(/PO 45120/)).toBeNull();
    // Reading an email, Share is one click from the match.
    expect(within(po).getByRole("button", { name: "Share “Plate for PO 4512”" })).toBeTruthy();
    const heat = screen.getByTestId("reference-heat-8H1234");
    expect(await within(heat).findByText("No matching certs.")).toBeTruthy();
    expect(listCerts).toHaveBeenCalledWith({ q: "4512", scope: "all", limit: 50 }, expect.anything());
  });

  it("says so when the email names no numbers", async () => {
    await renderPane({ itemKey: "msg-newsletter", api: {} });
    expect((await screen.findByTestId("no-references")).textContent).toContain("No PO, heat or cert numbers");
  });

  it("shows the problem title and recovers with Retry when the cert search fails", async () => {
    let fail = true;
    const listCerts = vi.fn(() =>
      fail ? Promise.reject(new ApiError({ type: problemTypes.unavailable, title: "Search is resting", status: 503 })) : Promise.resolve({ items: [certFixture({ title: "Found after retry" })], nextCursor: null }),
    );
    await renderPane({ api: { listCerts } });
    const po = await screen.findByTestId("reference-po-4512");
    expect((await within(po).findByTestId("pane-error")).textContent).toContain("Search is resting");
    fail = false;
    fireEvent.click(within(po).getByRole("button", { name: "Retry" }));
    expect(await within(po).findByRole("button", { name: /^Found after retry/ })).toBeTruthy();
  });

  it("shows what was already shared in this conversation", async () => {
    const listSharesForConversation = vi.fn(() => Promise.resolve({ items: [{ certId: certFixture().id, title: "Plate 20 mm", sharedAt: "2026-11-20T10:00:00.000Z" }] }));
    await renderPane({ api: { listSharesForConversation } });
    const shares = await screen.findByTestId("conversation-shares");
    expect(await within(shares).findByRole("button", { name: "Plate 20 mm" })).toBeTruthy();
    expect(listSharesForConversation).toHaveBeenCalledWith("conv-po-4512", expect.anything());
  });

  it("previews a SmartCert link and saves it in one click, then opens the cert", async () => {
    const saved = certFixture({ title: "Order 9920 plate", access: receiverAccess, publicLink: null });
    const acceptPublicLink = vi.fn(() => Promise.resolve(saved));
    await renderPane({
      itemKey: "msg-public-link",
      api: { acceptPublicLink, getCert: () => Promise.resolve(saved), listDocuments: () => Promise.resolve({ items: [] }) },
    });
    const card = await screen.findByTestId("public-link-card");
    expect(card.textContent).toContain(`/p/${SAMPLE_TOKEN}`);
    fireEvent.click(within(card).getByRole("button", { name: "Save" }));
    const detail = await screen.findByTestId("cert-detail");
    expect(acceptPublicLink).toHaveBeenCalledWith(SAMPLE_TOKEN);
    expect(await within(detail).findByRole("heading", { name: "Order 9920 plate" })).toBeTruthy();
    // A receiver sees Copy, not Share or activity.
    expect(within(detail).getByRole("button", { name: "Copy to my organization" })).toBeTruthy();
    expect(within(detail).queryByRole("button", { name: "Share" })).toBeNull();
    expect(within(detail).queryByTestId("activity")).toBeNull();
  });

  it("shows what a link carries before it is saved", async () => {
    const previewPublicLink = vi.fn(() => Promise.resolve({ title: "Order 9920 plate", ownerOrgName: "Nordic Steel", poNumbers: ["9920"], heatNumbers: ["7K1"], certNumbers: [], documentNames: ["a.pdf", "b.pdf"] }));
    await renderPane({ itemKey: "msg-public-link", api: { previewPublicLink } });
    const preview = await screen.findByTestId("public-link-preview");
    expect(preview.textContent).toContain("Order 9920 plate");
    expect(preview.textContent).toContain("From Nordic Steel");
    expect(preview.textContent).toContain("9920, 7K1");
    expect(preview.textContent).toContain("2 documents");
    expect(previewPublicLink).toHaveBeenCalledWith(SAMPLE_TOKEN, expect.anything());
  });

  it("shows why saving a dead link failed, with Retry", async () => {
    await renderPane({ itemKey: "msg-public-link", api: { acceptPublicLink: () => Promise.reject(notFound("This link is not active")) } });
    const card = await screen.findByTestId("public-link-card");
    fireEvent.click(within(card).getByRole("button", { name: "Save" }));
    expect((await within(card).findByTestId("pane-error")).textContent).toContain("This link is not active");
    expect(within(card).getByRole("button", { name: "Retry" })).toBeTruthy();
  });

  it("inserts a matching cert into the draft straight from the list", async () => {
    const cert = certFixture({ title: "Draft plate", heatNumbers: ["8H1234"] });
    const { host } = await renderPane({
      itemKey: "draft-reply-4512",
      api: { listCerts: (q) => Promise.resolve({ items: q.q === "8H1234" ? [cert] : [], nextCursor: null }) },
    });
    const heat = await screen.findByTestId("reference-heat-8H1234");
    fireEvent.click(await within(heat).findByRole("button", { name: "Insert “Draft plate” into the email" }));
    expect(await within(heat).findByText("Added to the email.")).toBeTruthy();
    const entry = host.outbox.at(-1);
    expect(entry?.kind === "inserted" && "html" in entry.content ? entry.content.html : "").toContain("Draft plate");
  });

  it("offers Insert cert on a compose item", async () => {
    const cert = certFixture({ title: "Heat 8H1234 plate", publicLink: { enabled: true, url: "http://localhost:3000/p/abcdefghijklmnop1234" } });
    const { host } = await renderPane({
      itemKey: "draft-reply-4512",
      api: {
        listCerts: (q) => Promise.resolve({ items: q.q === "8H1234" ? [cert] : [], nextCursor: null }),
        getCert: () => Promise.resolve(cert),
        listDocuments: () => Promise.resolve({ items: [] }),
        listCertActivity: () => Promise.resolve({ items: [] }),
      },
    });
    expect(screen.getByTestId("email-tab").textContent).toContain("Insert cert");
    fireEvent.click(await within(await screen.findByTestId("reference-heat-8H1234")).findByRole("button", { name: /^Heat 8H1234 plate/ }));
    fireEvent.click(await within(await screen.findByTestId("cert-detail")).findByRole("button", { name: "Insert cert" }));
    expect(await screen.findByText("Added to the email.")).toBeTruthy();
    const entry = host.outbox.at(-1);
    expect(entry?.kind).toBe("inserted");
    expect(entry?.kind === "inserted" && "html" in entry.content ? entry.content.html : "").toContain('href="http://localhost:3000/p/abcdefghijklmnop1234"');
  });
});
