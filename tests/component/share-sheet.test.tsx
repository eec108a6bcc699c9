import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import type { FakeHost } from "../../shared/host/fake-host";
import type { Cert } from "../../shared/protocol/certs";
import { certFixture, renderPane } from "./pane-fakes";

afterEach(() => {
  cleanup();
});

const rita = { userId: "00000000-0000-4000-8000-000000000103", displayName: "Rita Reader", orgName: "Demo Metals", locations: [] };
const LINK = "http://localhost:3000/p/AbCdEfGhIjKlMnOpQrSt";

/** Opens the share sheet of `cert` from the email tab's match for PO 4512. */
async function openShareSheet(cert: Cert, itemKey: string, api: Partial<ApiClient>): Promise<{ host: FakeHost; sheet: HTMLElement }> {
  const { host } = await renderPane({
    itemKey,
    api: {
      listCerts: () => Promise.resolve({ items: [cert], nextCursor: null }),
      getCert: () => Promise.resolve(cert),
      listDocuments: () => Promise.resolve({ items: [] }),
      listCertActivity: () => Promise.resolve({ items: [] }),
      ...api,
    },
  });
  fireEvent.click(await within(await screen.findByTestId("reference-po-4512")).findByRole("button", { name: new RegExp(`^${cert.title}`) }));
  fireEvent.click(await within(await screen.findByTestId("cert-detail")).findByRole("button", { name: "Share" }));
  const sheet = await screen.findByTestId("share-sheet");
  await within(sheet).findByTestId("public-link");
  return { host, sheet };
}

describe("share sheet", () => {
  it("shares with the email's sender in one click, recorded against the conversation", async () => {
    const cert = certFixture({ title: "Plate for Rita" });
    const shareCert = vi.fn(() => Promise.resolve({ id: "s", certId: cert.id, target: { kind: "user" as const, userId: rita.userId, displayName: "Rita Reader", orgName: "Demo Metals" }, createdAt: "" }));
    const { sheet } = await openShareSheet(cert, "msg-colleague", { lookupUserByEmail: () => Promise.resolve(rita), shareCert });
    fireEvent.click(await within(sheet).findByRole("button", { name: "Share with Rita Reader" }));
    expect(await within(sheet).findByText("Shared with Rita Reader.")).toBeTruthy();
    expect(shareCert).toHaveBeenCalledWith(cert.id, { userId: rita.userId, conversationRef: "conv-colleague" });
  });

  it("explains a sender who is not on the network, and shares to a location found by search", async () => {
    const cert = certFixture({ title: "Plate for Maria" });
    const searchNetwork = vi.fn(() =>
      Promise.resolve({
        companies: [],
        locations: [{ id: "00000000-0000-4000-8000-000000000012", name: "Houston Sales", city: "Houston", country: "US", orgId: "o", orgName: "Demo Metals" }],
        users: [],
      }),
    );
    const shareCert = vi.fn(() => Promise.resolve({ id: "s", certId: cert.id, target: { kind: "location" as const, locationId: "l", name: "Houston Sales", orgName: "Demo Metals" }, createdAt: "" }));
    const { sheet } = await openShareSheet(cert, "msg-po-4512", { searchNetwork, shareCert });
    expect((await within(sheet).findByTestId("share-sender-missing")).textContent).toContain("Maria Jensen is not on the SmartCert network");

    fireEvent.change(within(sheet).getByRole("searchbox", { name: /Find a user, company or location/ }), { target: { value: "Hou" } });
    fireEvent.click(await within(sheet).findByRole("button", { name: "Share with Houston Sales, Demo Metals" }));
    expect(await within(sheet).findByText("Shared with Houston Sales.")).toBeTruthy();
    expect(searchNetwork).toHaveBeenCalledWith("Hou", expect.anything());
    expect(shareCert).toHaveBeenCalledWith(cert.id, { locationId: "00000000-0000-4000-8000-000000000012", conversationRef: "conv-po-4512" });
  });

  it("turns the public link on, shows it with its QR code, and inserts escaped HTML into a reply", async () => {
    const cert = certFixture({ title: `Plate <b>"20"</b> & co` });
    const setPublicLink = vi.fn(() => Promise.resolve({ enabled: true, url: LINK }));
    const getCertQrSvg = vi.fn(() => Promise.resolve('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'));
    const { host, sheet } = await openShareSheet(cert, "msg-po-4512", { setPublicLink, getCertQrSvg });

    expect(within(sheet).getByText(/Turn on the public link to include a link/)).toBeTruthy();
    fireEvent.click(within(sheet).getByRole("switch", { name: "Public link" }));
    expect((await within(sheet).findByTestId<HTMLInputElement>("public-link-url")).value).toBe(LINK);
    expect(setPublicLink).toHaveBeenCalledWith(cert.id, true);
    const qr = await within(sheet).findByRole<HTMLImageElement>("img", { name: /QR code of the public link/ });
    expect(qr.src.startsWith("data:image/svg+xml")).toBe(true);
    // The SVG is only ever an image source, never markup in the pane.
    expect(sheet.querySelector("svg rect")).toBeNull();

    fireEvent.click(within(sheet).getByRole("button", { name: "Insert into reply" }));
    await waitFor(() => {
      expect(host.outbox.at(-1)?.kind).toBe("reply-opened");
    });
    const reply = host.outbox.at(-1);
    const html = reply?.kind === "reply-opened" ? reply.html : "";
    expect(html).toContain(`href="${LINK}"`);
    expect(html).toContain("Plate &#60;b&#62;&#34;20&#34;&#60;/b&#62; &#38; co");
    expect(html).not.toContain("<b>");
  });

  it("on a draft, shares with its recipient and inserts into the email", async () => {
    const cert = certFixture({ title: "Plate for the draft", publicLink: { enabled: true, url: LINK } });
    const maria = { userId: "00000000-0000-4000-8000-000000000201", displayName: "Maria Jensen", orgName: "Nordic Fabrication", locations: [] };
    const lookupUserByEmail = vi.fn(() => Promise.resolve(maria));
    const shareCert = vi.fn(() => Promise.resolve({ id: "s", certId: cert.id, target: { kind: "user" as const, userId: maria.userId, displayName: "Maria Jensen", orgName: "Nordic Fabrication" }, createdAt: "" }));
    const { host, sheet } = await openShareSheet(cert, "draft-reply-4512", { lookupUserByEmail, shareCert, getCertQrSvg: () => Promise.resolve("<svg/>") });

    expect(within(sheet).getByRole("heading", { name: "The recipient of this email" })).toBeTruthy();
    fireEvent.click(await within(sheet).findByRole("button", { name: "Share with Maria Jensen" }));
    expect(await within(sheet).findByText("Shared with Maria Jensen.")).toBeTruthy();
    expect(lookupUserByEmail).toHaveBeenCalledWith("maria.jensen@nordicfab.example", expect.anything());
    expect(shareCert).toHaveBeenCalledWith(cert.id, { userId: maria.userId, conversationRef: "conv-po-4512" });

    fireEvent.click(within(sheet).getByRole("button", { name: "Insert into email" }));
    await waitFor(() => {
      expect(host.outbox.at(-1)?.kind).toBe("inserted");
    });
  });

  it("shows the problem with Retry when the public link cannot be changed", async () => {
    const cert = certFixture({ title: "Plate link fails" });
    let calls = 0;
    const setPublicLink = vi.fn(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error("boom")) : Promise.resolve({ enabled: true, url: LINK });
    });
    const { sheet } = await openShareSheet(cert, "msg-po-4512", { setPublicLink, getCertQrSvg: () => Promise.resolve("<svg/>") });
    fireEvent.click(within(sheet).getByRole("switch", { name: "Public link" }));
    expect((await within(sheet).findByTestId("pane-error")).textContent).toContain("Something went wrong.");
    fireEvent.click(within(sheet).getByRole("button", { name: "Retry" }));
    expect((await within(sheet).findByTestId<HTMLInputElement>("public-link-url")).value).toBe(LINK);
  });
});
