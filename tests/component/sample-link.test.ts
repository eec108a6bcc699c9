import { describe, expect, it } from "vitest";
import { DEFAULT_SAMPLE_TOKEN, samplePublicLinkForPage } from "../../shared/playground/sample-link";
import { createSampleMailbox } from "../../shared/playground/sample-mailbox";

function memoryStorage(): Pick<Storage, "getItem" | "setItem"> {
  const values = new Map<string, string>();
  return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => values.set(key, value) };
}

describe("playground sample link", () => {
  const origin = "http://localhost:3000";
  const token = "AbCdEfGhIjKlMnOpQrSt_-";

  it("defaults to a dead token on the page's origin", () => {
    expect(samplePublicLinkForPage({ origin, search: "" }, memoryStorage())).toBe(`${origin}/p/${DEFAULT_SAMPLE_TOKEN}`);
  });

  it("takes a token from the query string and keeps it for the page after sign-in", () => {
    const storage = memoryStorage();
    expect(samplePublicLinkForPage({ origin, search: `?sampleLinkToken=${token}` }, storage)).toBe(`${origin}/p/${token}`);
    expect(samplePublicLinkForPage({ origin, search: "?code=abc&state=def" }, storage)).toBe(`${origin}/p/${token}`);
  });

  it("accepts the public link page's acceptPublicLink parameter and ignores malformed tokens", () => {
    expect(samplePublicLinkForPage({ origin, search: `?acceptPublicLink=${token}` }, memoryStorage())).toBe(`${origin}/p/${token}`);
    expect(samplePublicLinkForPage({ origin, search: "?sampleLinkToken=<script>" }, memoryStorage())).toBe(`${origin}/p/${DEFAULT_SAMPLE_TOKEN}`);
  });

  it("puts the link into the SmartCert email of the sample mailbox", () => {
    const mailbox = createSampleMailbox({ publicLink: `${origin}/p/${token}` });
    expect(mailbox.find((entry) => entry.item.key === "msg-public-link")?.bodyText).toContain(`${origin}/p/${token}`);
  });
});
