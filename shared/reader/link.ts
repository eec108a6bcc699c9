// Where the reader finds the message id and the key. The link is https://HOST/m/<id>#<key>; some
// mail systems rewrite "#" to "%23" (or "%2523" when they encode twice), which moves the key into
// the path — and so to the server, which is why the backend does not log reader paths. The reader
// moves it back into the fragment at once (history.replaceState makes no request).
import { decodeLinkKey } from "../crypto/keys";

const ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PATH = new RegExp(`^/m/(${ID})(?:(?:%23|%2523|#)(.*))?/?$`, "i");

export type ReaderLink =
  | { kind: "ok"; id: string; key: string; recovered: boolean }
  | { kind: "missing-key"; id: string }
  | { kind: "damaged-key"; id: string }
  | { kind: "not-a-message" };

export function parseReaderLink(pathname: string, hash: string): ReaderLink {
  const match = PATH.exec(pathname);
  const id = match?.[1]?.toLowerCase();
  if (!match || !id) return { kind: "not-a-message" };
  const fromHash = hash.replace(/^#/, "");
  const fromPath = match[2] ?? "";
  const key = fromHash || fromPath;
  if (!key) return { kind: "missing-key", id };
  // Trailing punctuation from the email's sentence ("…#KEY.") is a common copy mistake.
  const candidate = decodeLinkKey(key) ? key : key.replace(/[.,;:!?)\]>'"]+$/, "");
  if (!decodeLinkKey(candidate)) return { kind: "damaged-key", id };
  return { kind: "ok", id, key: candidate, recovered: !fromHash || candidate !== key };
}
