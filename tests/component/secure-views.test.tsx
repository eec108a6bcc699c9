import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeLinkKey } from "../../shared/crypto/keys";
import { decryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { FakeHost } from "../../shared/host/fake-host";
import type { SentMessageDto } from "../../shared/protocol/messages";
import SendSecurelyView from "../../shared/secure/SendSecurelyView";
import SentSecurelyView from "../../shared/secure/SentSecurelyView";
import { fakeApi, renderInPane } from "./fake-api";
import { sampleMailbox } from "./pane-fakes";

/** "Send securely" and "Sent securely" against a strict fake API and the FakeHost. */
const sent = (overrides: Partial<SentMessageDto> = {}): SentMessageDto => ({
  id: "0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  url: "http://localhost:3000/m/0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  status: "active",
  createdAt: "2026-11-22T10:00:00.000Z",
  expiresAt: "2026-11-29T10:00:00.000Z",
  maxOpens: 3,
  openCount: 1,
  recipients: ["rita@customer.example"],
  passphraseRequired: false,
  partCount: 2,
  ciphertextBytes: 1000,
  revokedAt: null,
  opens: [{ openedAt: "2026-11-22T11:00:00.000Z", recipient: "rita@customer.example" }],
  ...overrides,
});

const host = () => new FakeHost({ mailbox: sampleMailbox() });
const noop = () => undefined;
afterEach(cleanup);

describe("Sent securely", () => {
  it("lists status, opens and who opened; Revoke revokes and refreshes", async () => {
    let current = sent();
    const revokeMessage = vi.fn(() => {
      current = sent({ status: "revoked", revokedAt: "2026-11-22T12:00:00.000Z" });
      return Promise.resolve(current);
    });
    renderInPane(<SentSecurelyView />, { host: host(), api: fakeApi({ listSentMessages: () => Promise.resolve({ items: [current] }), revokeMessage }) });
    expect(await screen.findByText(/Opened 1 of 3 times/)).toBeTruthy();
    expect(screen.getByText(/Opened by rita@customer.example/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    await waitFor(() => { expect(screen.getByText("Revoked")).toBeTruthy(); });
    expect(revokeMessage).toHaveBeenCalledWith(current.id);
    expect(screen.queryByRole("button", { name: "Revoke" })).toBeNull();
  });

  it("speaks Swedish", async () => {
    renderInPane(<SentSecurelyView />, { host: host(), api: fakeApi({ listSentMessages: () => Promise.resolve({ items: [sent({ opens: [] })] }) }), locale: "sv" });
    expect(await screen.findByText(/Öppnat 1 av 3 gånger/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Återkalla" })).toBeTruthy();
  });
});

describe("Send securely", () => {
  it("asks for content before sending anything", async () => {
    renderInPane(<SendSecurelyView open={noop} close={noop} />, { host: host(), api: fakeApi({}) });
    fireEvent.click(screen.getByRole("button", { name: "Encrypt and send" }));
    expect(await screen.findByText("Write a message or add a file.")).toBeTruthy();
  });

  it("encrypts in the pane: the server gets ciphertext and policy, the link carries the key", async () => {
    const uploads: Blob[] = [];
    const createMessage = vi.fn(() => Promise.resolve({ message: sent({ status: "uploading", openCount: 0, opens: [] }), maxMessageBytes: 100 * 1024 * 1024 }));
    const api = fakeApi({
      createMessage,
      uploadMessagePart: (_id, index, blob) => { uploads[index] = blob; return Promise.resolve({ index, size: blob.size, messageBytes: blob.size }); },
      completeMessage: () => Promise.resolve(sent({ openCount: 0, opens: [] })),
    });
    renderInPane(<SendSecurelyView open={noop} close={noop} />, { host: host(), api });
    fireEvent.change(screen.getByLabelText("Message"), { target: { value: "Certs for PO 7731" } });
    fireEvent.change(screen.getByLabelText("Maximum opens"), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Encrypt and send" }));
    const link = await screen.findByLabelText<HTMLInputElement>("Link", {}, { timeout: 10_000 });
    const fragment = link.value.split("#")[1] ?? "";
    expect(link.value).toMatch(/\/m\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
    expect(createMessage).toHaveBeenCalledWith(expect.objectContaining({ partCount: 1, maxOpens: 2, expiresInDays: 7, passphrase: null }), expect.anything());
    expect(JSON.stringify(createMessage.mock.calls)).not.toContain(fragment);
    const keyBytes = decodeLinkKey(fragment);
    if (!keyBytes) throw new Error("no key in the link");
    const manifest = await decryptManifest(await messageKeyFrom(keyBytes), new Uint8Array(await (uploads[0] as Blob).arrayBuffer()));
    expect(manifest).toEqual({ v: 1, text: "Certs for PO 7731", files: [] });
  });
});
