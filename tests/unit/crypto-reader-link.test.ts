// The reader's link parsing: the key in the fragment, a "#" mangled to %23 (or %2523) recovered,
// and clear outcomes for a missing or damaged key.
import { describe, expect, it } from "vitest";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { parseReaderLink } from "../../shared/reader/link";

const id = "0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b";
const key = encodeLinkKey(generateLinkKey());

describe("reader link", () => {
  it("reads the key from the fragment", () => {
    expect(parseReaderLink(`/m/${id}`, `#${key}`)).toEqual({ kind: "ok", id, key, recovered: false });
  });

  it("recovers a key that a mail system moved into the path", () => {
    for (const mangled of [`/m/${id}%23${key}`, `/m/${id}%2523${key}`, `/m/${id.toUpperCase()}%23${key}`]) {
      expect(parseReaderLink(mangled, "")).toEqual({ kind: "ok", id, key, recovered: true });
    }
  });

  it("drops sentence punctuation stuck to the end of the key", () => {
    expect(parseReaderLink(`/m/${id}`, `#${key}.`)).toEqual({ kind: "ok", id, key, recovered: true });
  });

  it("says when the key is missing or damaged, or the path is not a message", () => {
    expect(parseReaderLink(`/m/${id}`, "")).toEqual({ kind: "missing-key", id });
    expect(parseReaderLink(`/m/${id}`, `#${key.slice(0, 30)}`)).toEqual({ kind: "damaged-key", id });
    expect(parseReaderLink("/m/not-an-id", `#${key}`)).toEqual({ kind: "not-a-message" });
  });
});
