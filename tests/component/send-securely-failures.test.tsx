import { Blob as NodeBlob } from "node:buffer";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../shared/api/client";
import { FakeHost } from "../../shared/host/fake-host";
import type { SentMessageDto } from "../../shared/protocol/messages";
import SendSecurelyView from "../../shared/secure/SendSecurelyView";
import { fakeApi, renderInPane } from "./fake-api";
import { sampleMailbox } from "./pane-fakes";

/** "Send securely" when a file cannot be read or its upload is refused: the file, the step and the reason, in both languages. */
const created: SentMessageDto = {
  id: "0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  url: "http://localhost:3000/m/0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b",
  status: "uploading",
  createdAt: "2026-11-22T10:00:00.000Z",
  expiresAt: "2026-11-29T10:00:00.000Z",
  maxOpens: null,
  openCount: 0,
  recipients: [],
  passphraseRequired: false,
  partCount: 2,
  ciphertextBytes: 0,
  revokedAt: null,
  opens: [],
};
const noop = () => undefined;
afterEach(cleanup);

/** A picked file; jsdom's File has no stream(), so the bytes are streamed by Node's Blob, or the read fails as a deleted file's does. */
function pickedFile(readable: boolean): File {
  const bytes = new Uint8Array(5000).fill(7);
  const file = new File([bytes], "heat 8H1234.pdf", { type: "application/pdf" });
  const unreadable = () => new ReadableStream({ pull(c) { c.error(Object.assign(new Error("The file could not be read."), { name: "NotReadableError" })); } });
  Object.defineProperty(file, "stream", { value: readable ? () => new NodeBlob([bytes]).stream() : unreadable });
  return file;
}

function renderSending(locale: "en" | "sv", readable: boolean) {
  const uploaded: number[] = [];
  const api = fakeApi({
    createMessage: () => Promise.resolve({ message: created, maxMessageBytes: 1000 }),
    uploadMessagePart: (_id, index, blob) => {
      uploaded.push(index);
      if (index === 0) return Promise.resolve({ index, size: blob.size, messageBytes: blob.size });
      return Promise.reject(new ApiError({ type: "urn:smartcert:problem:too-large", title: "Message too large", status: 413, detail: "At most 1000 bytes per message." }));
    },
  });
  renderInPane(<SendSecurelyView open={noop} close={noop} />, { host: new FakeHost({ mailbox: sampleMailbox() }), api, locale });
  const input = document.querySelector<HTMLInputElement>("input[type=file]");
  if (!input) throw new Error("no file input");
  fireEvent.change(input, { target: { files: [pickedFile(readable)] } });
  return uploaded;
}

describe("Send securely: a file that fails", () => {
  it("an upload the server refuses: names the file and the step, gives the server's reason", async () => {
    const uploaded = renderSending("en", true);
    fireEvent.click(screen.getByRole("button", { name: "Encrypt and send" }));
    const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(alert.textContent).toContain("“heat 8H1234.pdf” was encrypted, but its upload failed; the link was not created. Try again. Reason: Message too large At most 1000 bytes per message.");
    // The ciphertext of the file reached the upload; no link was shown.
    expect(uploaded).toEqual([0, 1]);
    expect(screen.queryByLabelText("Link")).toBeNull();
  });

  it("a file that cannot be read: nothing of it is uploaded", async () => {
    const uploaded = renderSending("en", false);
    fireEvent.click(screen.getByRole("button", { name: "Encrypt and send" }));
    const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(alert.textContent).toContain("“heat 8H1234.pdf” could not be read and encrypted; nothing was sent. Try again, or remove the file. Reason: The file could not be read.");
    expect(uploaded).toEqual([0]);
  });

  it("in Swedish", async () => {
    renderSending("sv", true);
    fireEvent.click(screen.getByRole("button", { name: "Kryptera och skicka" }));
    const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(alert.textContent).toContain("”heat 8H1234.pdf” krypterades, men uppladdningen misslyckades; länken skapades inte. Försök igen. Orsak: Message too large At most 1000 bytes per message.");
  });
});
