import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { oneClickShare } from "../../shared/actions/one-click-share";
import { ApiError } from "../../shared/api/client";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { ShareCertButton } from "../../shared/playground/ShareCertButton";
import type { Cert } from "../../shared/protocol/certs";
import { problemTypes } from "../../shared/protocol/problem";
import { certFixture, notFound, receiverAccess, sampleMailbox, strictApi } from "./pane-fakes";

afterEach(() => {
  cleanup();
});

const rita = { userId: "00000000-0000-4000-8000-000000000103", displayName: "Rita Reader", orgName: "Demo Metals", locations: [] };
const LINK = "http://localhost:3000/p/AbCdEfGhIjKlMnOpQrSt";

function hostOn(itemKey: string | null): FakeHost {
  return new FakeHost({ mailbox: sampleMailbox(), initialItemKey: itemKey, auth: createFakeAuth({ signedIn: true }) });
}

const listing = (certs: Cert[]) => vi.fn((query: { q?: string }) => Promise.resolve({ items: certs.filter((c) => JSON.stringify(c).includes(query.q ?? "")), nextCursor: null }));

describe("oneClickShare", () => {
  it("shares the one matching cert with a sender on the network and opens a reply", async () => {
    const cert = certFixture({ title: "Plate 4512", publicLink: { enabled: true, url: LINK } });
    const host = hostOn("msg-colleague");
    const shareCert = vi.fn(() => Promise.resolve({ id: "s", certId: cert.id, target: { kind: "user" as const, userId: rita.userId, displayName: "Rita Reader", orgName: "Demo Metals" }, createdAt: "" }));
    const listCerts = listing([cert]);
    const api = strictApi({ listCerts, lookupUserByEmail: () => Promise.resolve(rita), shareCert });

    const result = await oneClickShare({ host, api });
    expect(result).toEqual({ status: "shared", certId: cert.id, via: "user", summary: "Shared “Plate 4512” with Rita Reader; a reply with the details is open." });
    expect(listCerts).toHaveBeenCalledWith({ q: "4512", scope: "owned", limit: 100 });
    expect(shareCert).toHaveBeenCalledWith(cert.id, { userId: rita.userId, conversationRef: "conv-colleague" });
    const reply = host.outbox.at(-1);
    expect(reply?.kind === "reply-opened" ? reply.html : "").toContain(`href="${LINK}"`);
  });

  it("uses the public link when the sender is not on the network", async () => {
    const cert = certFixture({ title: "Plate 4512", heatNumbers: ["8H1234"] });
    const host = hostOn("msg-po-4512");
    const setPublicLink = vi.fn(() => Promise.resolve({ enabled: true, url: LINK }));
    const api = strictApi({ listCerts: listing([cert]), lookupUserByEmail: () => Promise.reject(notFound()), setPublicLink });

    const result = await oneClickShare({ host, api });
    expect(result.status).toBe("shared");
    expect(result.status === "shared" ? result.via : null).toBe("public-link");
    expect(setPublicLink).toHaveBeenCalledWith(cert.id, true);
    const reply = host.outbox.at(-1);
    expect(reply?.kind === "reply-opened" ? reply.html : "").toContain(LINK);
  });

  it("reuses a public link that is already on", async () => {
    const cert = certFixture({ publicLink: { enabled: true, url: LINK } });
    const host = hostOn("msg-po-4512");
    const api = strictApi({ listCerts: listing([cert]), lookupUserByEmail: () => Promise.reject(notFound()) });
    expect((await oneClickShare({ host, api })).status).toBe("shared");
  });

  it("needs the pane when several certs match", async () => {
    const host = hostOn("msg-po-4512");
    const api = strictApi({ listCerts: listing([certFixture(), certFixture()]) });
    const result = await oneClickShare({ host, api });
    expect(result).toMatchObject({ status: "needs-pane", reason: "ambiguous" });
    expect(host.outbox).toEqual([]);
  });

  it("ignores substring matches and certs the user cannot share", async () => {
    const host = hostOn("msg-po-4512");
    const api = strictApi({
      listCerts: listing([certFixture({ poNumbers: ["45120"], heatNumbers: [] }), certFixture({ access: receiverAccess })]),
    });
    expect(await oneClickShare({ host, api })).toMatchObject({ status: "needs-pane", reason: "no-match" });
  });

  it("needs the pane without references, without a read item, or on a draft", async () => {
    const api = strictApi({});
    expect(await oneClickShare({ host: hostOn("msg-newsletter"), api })).toMatchObject({ status: "needs-pane", reason: "no-references" });
    expect(await oneClickShare({ host: hostOn(null), api })).toMatchObject({ status: "needs-pane", reason: "no-read-item" });
    expect(await oneClickShare({ host: hostOn("draft-reply-4512"), api })).toMatchObject({ status: "needs-pane", reason: "no-read-item" });
  });

  it("lets API failures other than a missing sender through", async () => {
    const host = hostOn("msg-po-4512");
    const api = strictApi({
      listCerts: listing([certFixture()]),
      lookupUserByEmail: () => Promise.reject(new ApiError({ type: problemTypes.unavailable, title: "Down", status: 503 })),
    });
    await expect(oneClickShare({ host, api })).rejects.toThrow("Down");
  });
});

describe("playground Share cert button", () => {
  it("runs the one-click action and reports the summary through host.notify", async () => {
    const cert = certFixture({ title: "Plate 4512" });
    const host = hostOn("msg-colleague");
    const api = strictApi({
      listCerts: listing([cert]),
      lookupUserByEmail: () => Promise.resolve(rita),
      shareCert: () => Promise.resolve({ id: "s", certId: cert.id, target: { kind: "user" as const, userId: rita.userId, displayName: "Rita Reader", orgName: "Demo Metals" }, createdAt: "" }),
    });
    render(<ShareCertButton host={host} api={api} />);
    fireEvent.click(within(screen.getByRole("toolbar", { name: "Message actions" })).getByRole("button", { name: "Share cert" }));
    await waitFor(() => {
      expect(host.outbox.at(-1)).toEqual({ kind: "notified", notification: { kind: "success", message: "Shared “Plate 4512” with Rita Reader; a reply with the details is open." } });
    });
    expect(host.outbox.map((e) => e.kind)).toEqual(["reply-opened", "notified"]);
  });
});
