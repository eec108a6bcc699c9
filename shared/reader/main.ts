// The reader page (docs/ENCRYPTION.md, docs/MESSAGES.md). Loading it — by a person or a link
// scanner — fetches only the envelope, which counts nothing. Only the "Open message" click POSTs
// the open, which counts it and returns a ticket for the ciphertext; decryption happens here,
// files stream through the crypto worker into downloads. A message for named recipients first
// signs the reader in (sign-in.ts), and an opened message can be answered (reply-view.ts).
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
import { $, buttonById, formatSize, inputById, say } from "./dom";
import { parseReaderLink } from "./link";
import { showReplyForm } from "./reply-view";
import { currentAccount, forgetReturnLink, READER_REDIRECT_PATH, readerOidc, signInFor, takeReturnLink, type ReturnLink } from "./sign-in";

/** Sends no bearer token: the envelope, downloads and replies need none. */
const publicApi = createApiClient({ baseUrl: "/api/v1", getToken: () => Promise.resolve(null) });

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
  if (location.pathname === READER_REDIRECT_PATH) {
    await returnFromSignIn();
    return;
  }
  forgetReturnLink();
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
  await showLink({ id: link.id, key: link.key });
}

/** Back from the provider: the remembered link is taken out of storage first, whatever happens next. */
async function returnFromSignIn(): Promise<void> {
  const link = takeReturnLink();
  say("Completing sign-in…");
  let failure: string | null = null;
  try {
    await (await readerOidc(publicApi)).handleRedirectCallback();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (!link) {
    say("You are signed in, but this tab no longer knows which message to show. Open the link from the email again.", true);
    return;
  }
  history.replaceState(null, "", `/m/${link.id}#${link.key}`);
  await showLink(link);
  if (failure) say(`Sign-in did not complete: ${failure} Try again.`, true);
}

async function showLink(link: ReturnLink): Promise<void> {
  let envelope: MessageEnvelopeDto;
  try {
    envelope = await publicApi.getMessageEnvelope(link.id);
  } catch (error) {
    say(problemText(error), true);
    return;
  }
  showInterstitial(envelope);
  const account = envelope.signInRequired ? await currentAccount(publicApi).catch(() => null) : null;
  const openButton = buttonById("open");
  if (envelope.signInRequired) prepareSignIn(link, account?.email ?? null);
  // Only a message for named recipients gets the ID token; the bearer goes nowhere else.
  const api = account ? createApiClient({ baseUrl: "/api/v1", getToken: () => Promise.resolve(account.idToken) }) : publicApi;
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
          const manifestCiphertext = await readAll(await publicApi.downloadMessagePart(link.id, 0, ticket.ticket), MAX_MANIFEST_BYTES + 1024);
          opened = { ticket, manifestCiphertext };
        }
        const manifest = await decryptManifest(key, opened.manifestCiphertext);
        showMessage(link.id, key, manifest, opened.ticket);
      } catch (error) {
        if (error instanceof MessageIntegrityError && envelope.passphrase) say("That passphrase does not open this message. Check it and try again.", true);
        else if (isApiError(error) && error.status === 403 && account) wrongAccount(account.email);
        else say(problemText(error), true);
      } finally {
        openButton.disabled = false;
      }
    })();
  });
}

/** Sign-in state on the interstitial: a Sign in button, or who is signed in with a way to switch. */
function prepareSignIn(link: ReturnLink, email: string | null): void {
  const note = $("sign-in-note");
  note.hidden = false;
  const signIn = buttonById("sign-in");
  const switchAccount = buttonById("switch-account");
  const go = (options: { switchAccount?: boolean }) => {
    signIn.disabled = true;
    switchAccount.disabled = true;
    say("Taking you to sign in…");
    signInFor(publicApi, link, options).catch((error: unknown) => {
      say(`Sign-in could not start: ${error instanceof Error ? error.message : String(error)}`, true);
      signIn.disabled = false;
      switchAccount.disabled = false;
    });
  };
  signIn.onclick = () => { go({}); };
  switchAccount.onclick = () => { go({ switchAccount: true }); };
  if (email === null) {
    note.textContent = "The sender requires you to sign in with the email address the message was sent to.";
    signIn.hidden = false;
    buttonById("open").hidden = true;
  } else {
    note.textContent = `You are signed in as ${email}.`;
    switchAccount.hidden = false;
  }
}

function wrongAccount(email: string | undefined): void {
  const who = email ? `${email}, the account you signed in with` : "the account you signed in with";
  say(`This message was not sent to ${who}. Sign in with the email address it was sent to.`, true);
  const switchAccount = buttonById("switch-account");
  switchAccount.textContent = "Sign in with another account";
  switchAccount.hidden = false;
}

async function deriveKey(fragment: string, envelope: MessageEnvelopeDto, passphrase: string): Promise<MessageKey> {
  const linkKey = decodeLinkKey(fragment);
  if (!linkKey) throw new MessageIntegrityError("not-a-message");
  const kdf = envelope.passphrase;
  if (!kdf) return messageKeyFrom(linkKey);
  const salt = fromBase64Url(kdf.salt);
  if (!salt) throw new MessageIntegrityError("not-a-message");
  // Argon2id takes up to a second: in the crypto worker, so the page stays responsive meanwhile.
  return cryptoRunner().deriveKey(linkKey, { passphrase, kdf: { ...kdf, salt } });
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
  $("interstitial").hidden = false;
  say("Opening counts as one view. Nothing is decrypted until you click “Open message”.");
}

function showMessage(id: string, key: MessageKey, manifest: MessageManifest, opened: OpenedMessageDto): void {
  $("interstitial").hidden = true;
  $("text").textContent = manifest.text;
  const from = $("from");
  if (opened.sender) from.textContent = `From ${opened.sender.displayName} (${opened.sender.email})`;
  else if (opened.inReplyTo) from.textContent = "A secure reply to a message you sent.";
  from.hidden = from.textContent === "";
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
  if (opened.sender && opened.reply) showReplyForm({ api: publicApi, messageId: id, sender: opened.sender, capability: opened.reply, describe: problemText });
  say("Decrypted in your browser.");
}

async function download(id: string, key: MessageKey, partIndex: number, file: MessageManifest["files"][number], opened: OpenedMessageDto, button: HTMLButtonElement, progress: HTMLElement): Promise<void> {
  button.disabled = true;
  try {
    const ciphertext = await publicApi.downloadMessagePart(id, partIndex, opened.ticket);
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

void start();
