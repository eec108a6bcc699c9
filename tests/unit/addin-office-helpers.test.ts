import { describe, expect, it } from "vitest";
import { createAsyncLimiter } from "../../addin/office/async-limiter";
import { base64Length, base64ToBytes, bytesToBase64, OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS, OUTLOOK_MAX_ATTACHMENT_BYTES } from "../../addin/office/base64";
import { themeFromOffice } from "../../addin/office/capabilities";

describe("base64 helpers", () => {
  it("computes base64 lengths exactly and round-trips bytes across chunk boundaries", () => {
    const bytes = Uint8Array.from({ length: 32_769 + 2 }, (_, i) => (i * 31) % 256);
    const encoded = bytesToBase64(bytes);
    expect(encoded.length).toBe(base64Length(bytes.length));
    expect(base64ToBytes(encoded)).toEqual(bytes);
    expect(base64Length(0)).toBe(0);
    expect(base64Length(1)).toBe(4);
    expect(base64Length(3)).toBe(4);
    expect(base64Length(4)).toBe(8);
  });

  it("derives the largest attachable file from Outlook's documented limit", () => {
    expect(base64Length(OUTLOOK_MAX_ATTACHMENT_BYTES)).toBeLessThanOrEqual(OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS);
    expect(base64Length(OUTLOOK_MAX_ATTACHMENT_BYTES + 1)).toBeGreaterThan(OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS);
  });
});

describe("createAsyncLimiter", () => {
  it("runs tasks in order of arrival, at most max at a time, and frees a slot when one fails", async () => {
    const limiter = createAsyncLimiter(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const task = (n: number, fail = false) => () =>
      new Promise<number>((resolve, reject) => {
        started.push(n);
        releases.push(() => { if (fail) reject(new Error(`task ${n}`)); else resolve(n); });
      });
    const results = [limiter.run(task(1, true)), limiter.run(task(2)), limiter.run(task(3)), limiter.run(task(4))];
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(limiter.active).toBe(2);
    releases[0]?.();
    await expect(results[0]).rejects.toThrow("task 1");
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2, 3]);
    releases[1]?.();
    releases[2]?.();
    await new Promise((r) => setTimeout(r, 0));
    releases[3]?.();
    await expect(Promise.all(results.slice(1))).resolves.toEqual([2, 3, 4]);
    expect(limiter.active).toBe(0);
  });

  it("rejects a nonsensical maximum", () => {
    expect(() => createAsyncLimiter(0)).toThrow(RangeError);
  });
});

describe("themeFromOffice", () => {
  it("is dark on a dark body background, light on a light one, and unknown without a theme", () => {
    expect(themeFromOffice({ bodyBackgroundColor: "#262626" })).toBe("dark");
    expect(themeFromOffice({ bodyBackgroundColor: "#FFFFFF" })).toBe("light");
    expect(themeFromOffice(undefined)).toBeUndefined();
    expect(themeFromOffice({ bodyBackgroundColor: "" })).toBeUndefined();
  });
});
