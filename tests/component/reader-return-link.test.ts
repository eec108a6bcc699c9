import { afterEach, describe, expect, it } from "vitest";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { forgetReturnLink, takeReturnLink } from "../../shared/reader/sign-in";

/**
 * The reader keeps the link (with its key) in this tab's sessionStorage only while the provider
 * has the tab: taking it removes it at once, whatever it holds, and only a well-formed link is
 * believed (storage is the page's own origin, but a stale or hand-edited value must not be used).
 */
const RETURN_KEY = "smartcert.reader.return";
const id = "0b9f6c3e-5d7a-4c1e-9a8b-2f4e6d8c0a1b";
afterEach(() => { sessionStorage.clear(); });

describe("reader return link", () => {
  it("is taken once and removed at once", () => {
    const key = encodeLinkKey(generateLinkKey());
    sessionStorage.setItem(RETURN_KEY, JSON.stringify({ id, key }));
    expect(takeReturnLink()).toEqual({ id, key });
    expect(sessionStorage.getItem(RETURN_KEY)).toBeNull();
    expect(takeReturnLink()).toBeNull();
  });

  it("ignores and removes what is not a message id with a whole key", () => {
    for (const value of ["not json", JSON.stringify({ id: "../etc", key: encodeLinkKey(generateLinkKey()) }), JSON.stringify({ id, key: "short" }), "null"]) {
      sessionStorage.setItem(RETURN_KEY, value);
      expect(takeReturnLink()).toBeNull();
      expect(sessionStorage.getItem(RETURN_KEY)).toBeNull();
    }
  });

  it("is forgotten when the reader loads anywhere but the sign-in redirect", () => {
    sessionStorage.setItem(RETURN_KEY, JSON.stringify({ id, key: encodeLinkKey(generateLinkKey()) }));
    forgetReturnLink();
    expect(sessionStorage.length).toBe(0);
  });
});
