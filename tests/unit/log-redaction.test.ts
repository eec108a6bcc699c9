import { describe, expect, it } from "vitest";
import { REDACTED, loggablePath, redactSensitive } from "../../backend/http/logger";

describe("log redaction", () => {
  it("replaces values of fields named like tokens, keys and secrets at any depth", () => {
    const input = {
      msg: "x",
      req: { headers: { authorization: "Bearer abc", cookie: "sid=1", accept: "json" } },
      nested: { refreshToken: "r", apiKey: "k", clientSecret: "s", list: [{ id_token: "i" }, { name: "ok" }] },
    };
    expect(redactSensitive(input)).toEqual({
      msg: "x",
      req: { headers: { authorization: REDACTED, cookie: REDACTED, accept: "json" } },
      nested: { refreshToken: REDACTED, apiKey: REDACTED, clientSecret: REDACTED, list: [{ id_token: REDACTED }, { name: "ok" }] },
    });
  });

  it("logs paths without queries or public-link tokens", () => {
    expect(loggablePath("/api/v1/documents/x/versions/1/content?expires=1&sig=abc")).toBe("/api/v1/documents/x/versions/1/content");
    expect(loggablePath("/p/SECRET-TOKEN-123")).toBe("/p/[redacted]");
    // A message link whose "#" a mail filter re-encoded carries the key in the path.
    expect(loggablePath("/m/0b6c1e7a-message%23KEY-MATERIAL")).toBe("/m/[redacted]");
    expect(loggablePath("/m/0b6c1e7a-message/extra")).toBe("/m/[redacted]");
    expect(loggablePath("/api/v1/certs")).toBe("/api/v1/certs");
  });
});
