// The reader page (docs/ENCRYPTION.md). Loading it — by a person or a link scanner — fetches only
// the envelope, which counts nothing. Only the "Open message" click POSTs the open, which counts it
// and returns a ticket for the ciphertext; decryption happens here, files stream through the crypto
// worker into downloads. Text is only ever set with textContent: a message cannot inject markup.
import "./reader.css";
import { createApiClient, isApiError, type ApiError } from "../api/client";
import { MessageIntegrityError } from "../crypto/format";
import { decodeLinkKey, type MessageKey } from "../crypto/keys";
import { decryptManifest, MAX_MANIFEST_BYTES, type MessageManifest } from "../crypto/manifest";
import { messageKeyFrom } from "../crypto/passphrase";
import { fromBase64Url } from "../crypto/bytes";
import { readAll } from "../crypto/stream";
import { cryptoRunner } from "../crypto/runner";
import type { MessageEnvelopeDto, OpenedMessageDto } from "../protocol/messages";
import { parseReaderLink } from "./link";

const api = createApiClient({ baseUrl: "/api/v1", getToken: () => Promise.resolve(null) });
function $(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`reader page is missing #${id}`);
  return element;
}
const buttonById = (id: string) => $(id) as HTMLButtonElement;
const inputById = (id: string) => $(id) as HTMLInputElement;
const status = $("status");

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle("error", error);
}

function problemText(error: unknown): string {
  if (isApiError(error)) return goneOrProblem(error);
  if (error instanceof MessageIntegrityError) return "The message could not be decrypted: the link (or passphrase) is wrong, or the data was damaged.";
  return "Something went wrong. Reload the page to try again.";
}

function goneOrProblem(error: ApiError): string {
  if (error.status === 410) return `This message is no longer available. ${error.problem.detail ?? ""}`.trim();
  if (error.status === 404) return "There is no such message. Check that you copied the whole link.";
  if (error.status === 0) return "The message service could not be reached. Check your connection and try again.";
  return error.problem.detail ?? error.title;
}

async function start(): Promise<void> {
  const link = parseReaderLink(location.pathname, location.hash);
  switch (link.kind) {
    case "not-a-message":
      say("This is not a message link.", true);
      return;
    case "missing-key":
      say("This link is incomplete: the key after “#” is missing. Copy the whole link from the email (everything after # included), or ask the sender to send it again.", true);
      return;
    case "damaged-key":
      say("This link is damaged: the key after “#” is not complete. Copy the whole link from the email again, or ask the sender to send it again.", true);
      return;
    case "ok":
      break;
  }
  // Put a key that a mail system moved into the path back into the fragment (no request is made).
  if (link.recovered) history.replaceState(null, "", `/m/${link.id}#${link.key}`);
  let envelope: MessageEnvelopeDto;
  try {
    envelope = await api.getMessageEnvelope(link.id);
  } catch (error) {
    say(problemText(error), true);
    return;
  }
  showInterstitial(envelope);
  const openButton = buttonById("open");
  let opened: { ticket: OpenedMessageDto; manifestCiphertext: Uint8Array } | undefined;
  openButton.addEventListener("click", () => {
    void (async () => {
      openButton.disabled = true;
      try {
        const passphrase = inputById("passphrase").value;
        if (envelope.passphrase && passphrase === "") {
          say("Enter the passphrase the sender gave you.", true);
          return;
        }
        say(envelope.passphrase ? "Deriving the key from your passphrase…" : "Opening…");
        const key = await deriveKey(link.key, envelope, passphrase);
        // Open once; a mistyped passphrase is retried against the already fetched ciphertext.
        if (!opened) {
          const ticket = await api.openMessage(link.id);
          const manifestCiphertext = await readAll(await api.downloadMessagePart(link.id, 0, ticket.ticket), MAX_MANIFEST_BYTES + 1024);
          opened = { ticket, manifestCiphertext };
        }
        const manifest = await decryptManifest(key, opened.manifestCiphertext);
        showMessage(link.id, key, manifest, opened.ticket);
      } catch (error) {
        if (error instanceof MessageIntegrityError && envelope.passphrase) say("That passphrase does not open this message. Check it and try again.", true);
        else say(problemText(error), true);
      } finally {
        openButton.disabled = false;
      }
    })();
  });
}

async function deriveKey(fragment: string, envelope: MessageEnvelopeDto, passphrase: string): Promise<MessageKey> {
  const linkKey = decodeLinkKey(fragment);
  if (!linkKey) throw new MessageIntegrityError("not-a-message");
  const kdf = envelope.passphrase;
  if (!kdf) return messageKeyFrom(linkKey);
  const salt = fromBase64Url(kdf.salt);
  if (!salt) throw new MessageIntegrityError("not-a-message");
  return messageKeyFrom(linkKey, { passphrase, kdf: { ...kdf, salt } });
}

function showInterstitial(envelope: MessageEnvelopeDto): void {
  const facts = $("facts");
  const add = (term: string, value: string) => {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    facts.append(dt, dd);
  };
  add("Available until", new Date(envelope.expiresAt).toLocaleString());
  if (envelope.opensLeft !== null) add("Opens left", String(envelope.opensLeft));
  add("Files", String(envelope.partCount - 1));
  $("passphrase-field").hidden = envelope.passphrase === null;
  if (envelope.signInRequired) {
    const note = $("sign-in-note");
    note.hidden = false;
    note.textContent = "The sender requires you to sign in with the email address the message was sent to. This reader cannot sign you in yet; ask the sender to send it without a recipient restriction.";
    buttonById("open").disabled = true;
  }
  $("interstitial").hidden = false;
  say("Opening counts as one view. Nothing is decrypted until you click “Open message”.");
}

function showMessage(id: string, key: MessageKey, manifest: MessageManifest, opened: OpenedMessageDto): void {
  $("interstitial").hidden = true;
  $("text").textContent = manifest.text;
  const list = $("files");
  $("files-heading").hidden = manifest.files.length === 0;
  manifest.files.forEach((file, i) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Download ${file.name} (${formatSize(file.size)})`;
    const progress = document.createElement("span");
    progress.setAttribute("role", "status");
    button.addEventListener("click", () => {
      void download(id, key, i + 1, file, opened, button, progress);
    });
    item.append(button, " ", progress);
    list.append(item);
  });
  $("message").hidden = false;
  say("Decrypted in your browser.");
}

async function download(id: string, key: MessageKey, partIndex: number, file: MessageManifest["files"][number], opened: OpenedMessageDto, button: HTMLButtonElement, progress: HTMLElement): Promise<void> {
  button.disabled = true;
  try {
    const ciphertext = await api.downloadMessagePart(id, partIndex, opened.ticket);
    let done = 0;
    const counted = cryptoRunner().run("decrypt", key, ciphertext, partIndex).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          done += chunk.length;
          progress.textContent = `${Math.floor((done / Math.max(1, file.size)) * 100)} %`;
          controller.enqueue(chunk);
        },
      }),
    );
    // The browser keeps large blobs on disk; a failed record errors the stream and no file is saved.
    const blob = await new Response(counted).blob();
    const url = URL.createObjectURL(new Blob([blob], { type: file.type || "application/octet-stream" }));
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = file.name;
    anchor.rel = "noopener";
    anchor.click();
    setTimeout(() => { URL.revokeObjectURL(url); }, 60_000);
    progress.textContent = "Downloaded";
  } catch (error) {
    progress.textContent = problemText(error);
    progress.classList.add("error");
  } finally {
    button.disabled = false;
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

void start();
