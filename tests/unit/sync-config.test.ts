import { describe, expect, it } from "vitest";
import { enabledMailboxProviders, loadSyncConfig } from "../../backend/sync/config";

/** The connect flow's configuration: Microsoft's and Google's real endpoints unless overridden. */
const load = (env: Record<string, string>) => loadSyncConfig(env, (p) => `/abs/${p}`);

describe("mailbox sync configuration", () => {
  it("defaults to the providers' real authorization and revocation endpoints", () => {
    const config = load({ GRAPH_CLIENT_ID: "g", GRAPH_CLIENT_SECRET: "gs", GOOGLE_CLIENT_ID: "o", GOOGLE_CLIENT_SECRET: "os" });
    expect(config.graph?.authorizeUrl).toBe("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    expect(config.gmail?.authorizeUrl).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(config.googleRevokeUrl).toBe("https://oauth2.googleapis.com/revoke");
    expect(enabledMailboxProviders(config)).toEqual(["graph", "gmail"]);
  });

  it("takes other endpoints, and enables only the providers with credentials", () => {
    const config = load({ GOOGLE_CLIENT_ID: "o", GOOGLE_CLIENT_SECRET: "os", GOOGLE_AUTHORIZE_URL: "http://127.0.0.1:9/o/oauth2/v2/auth", GOOGLE_REVOKE_URL: "http://127.0.0.1:9/revoke" });
    expect(config.gmail?.authorizeUrl).toBe("http://127.0.0.1:9/o/oauth2/v2/auth");
    expect(config.googleRevokeUrl).toBe("http://127.0.0.1:9/revoke");
    expect(enabledMailboxProviders(config)).toEqual(["gmail"]);
    expect(enabledMailboxProviders(load({}))).toEqual([]);
  });

  it("refuses an authorization URL that is not a URL", () => {
    expect(() => load({ GRAPH_AUTHORIZE_URL: "login.microsoftonline.com" })).toThrow(expect.objectContaining({ variable: "GRAPH_AUTHORIZE_URL" }));
  });
});
