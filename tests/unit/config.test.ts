import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../backend/config";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("configuration", () => {
  it("defaults to the embedded development mode with the local provider", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: "development",
      port: 3000,
      publicUrl: "http://localhost:3000",
      dataDir: path.resolve("data"),
      databaseUrl: undefined,
      localOidc: true,
      seedDemo: true,
      allowedOrigins: ["http://localhost:3000"],
    });
    expect(config.oidcIssuers).toEqual([{ issuer: "http://localhost:3000/oidc", audience: "smartcert-pane", jwksUri: "http://localhost:3000/oidc/jwks" }]);
  });

  it("enables the backend code exchange only with a secret file and the redirect URIs it serves", () => {
    expect(loadConfig({}).codeExchange).toBeUndefined();
    expect(loadConfig({ OIDC_CLIENT_SECRET_FILE: "secret.txt", OIDC_EXCHANGE_REDIRECT_URIS: "https://abc.chromiumapp.org/, http://localhost:3000/" }).codeExchange).toEqual({
      clientSecretFile: path.resolve("secret.txt"),
      redirectUris: ["https://abc.chromiumapp.org/", "http://localhost:3000/"],
    });
    expect(configError({ OIDC_CLIENT_SECRET_FILE: "secret.txt" }).variable).toBe("OIDC_EXCHANGE_REDIRECT_URIS");
    expect(configError({ OIDC_EXCHANGE_REDIRECT_URIS: "https://abc.chromiumapp.org/" }).variable).toBe("OIDC_EXCHANGE_REDIRECT_URIS");
    expect(configError({ OIDC_CLIENT_SECRET_FILE: "s", OIDC_EXCHANGE_REDIRECT_URIS: "chrome-extension://abc/" }).variable).toBe("OIDC_EXCHANGE_REDIRECT_URIS");
  });

  it("follows PORT and DATA_DIR", () => {
    const config = loadConfig({ PORT: "4100", DATA_DIR: "/tmp/elsewhere" });
    expect(config.publicUrl).toBe("http://localhost:4100");
    expect(config.dataDir).toBe("/tmp/elsewhere");
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ OIDC_ISSUERS: "{not json" }, "OIDC_ISSUERS"],
    [{ OIDC_ISSUERS: '[{"issuer":"https://a","audience":"x"}]' }, "OIDC_ISSUERS"],
    [{ ALLOWED_ORIGINS: "https://ok.example,https://bad.example/path" }, "ALLOWED_ORIGINS"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ LOCAL_OIDC: "maybe" }, "LOCAL_OIDC"],
    [{ NODE_ENV: "production" }, "OIDC_ISSUERS"],
    [{ NODE_ENV: "production", LOCAL_OIDC: "true", OIDC_ISSUERS: '[{"issuer":"https://a.example","audience":"x","jwksUri":"https://a.example/jwks"}]' }, "LOCAL_OIDC"],
  ])("rejects %o naming %s", (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it("turns off the local provider and the demo seed in production", () => {
    const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://cert.example", OIDC_ISSUERS: '[{"issuer":"https://id.example","audience":"api","jwksUri":"https://id.example/jwks"}]' });
    expect(config.localOidc).toBe(false);
    expect(config.seedDemo).toBe(false);
    expect(config.allowedOrigins).toEqual(["https://cert.example"]);
  });
});
