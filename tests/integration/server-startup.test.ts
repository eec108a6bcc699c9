import { describe, expect, it } from "vitest";
import { tempDir } from "../support/databases";
import { runToCompletion } from "../support/server-process";

/** The real entry point refuses a bad configuration with a message naming the variable. */
describe("server start-up", () => {
  it.each([
    [{ PORT: "not-a-port" }, "PORT"],
    [{ DATABASE_URL: "sqlite://nope" }, "DATABASE_URL"],
    [{ NODE_ENV: "production" }, "OIDC_ISSUERS"],
  ])("stops on %o naming %s", async (env, variable) => {
    const result = await runToCompletion("backend/main.ts", [], { DATA_DIR: tempDir("startup"), ...env });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`Invalid configuration: ${variable}`);
    expect(result.stdout).not.toContain("is running");
  });
});
