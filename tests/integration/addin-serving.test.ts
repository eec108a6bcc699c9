import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { createTestApp, type TestApp } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/**
 * The backend serves the built add-in under /addin/ with a policy Outlook can live with: office.js
 * from Microsoft's CDN, framed only by Outlook's origins (no X-Frame-Options), while every other
 * response keeps the app-wide headers. Without a build, /addin/ says how to make one.
 */
let issuer: TestIssuer;
let database: TestDatabase & { drop: () => Promise<void> };
let built: TestApp;
let unbuilt: TestApp;

beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
  database = await createTestDatabase("sqlite");
  const webDir = path.join(database.dataDir, "dist/web");
  fs.mkdirSync(path.join(database.dataDir, "dist/addin"), { recursive: true });
  fs.mkdirSync(webDir, { recursive: true });
  fs.writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>playground</title>");
  fs.writeFileSync(path.join(database.dataDir, "dist/addin/taskpane.html"), "<!doctype html><title>pane</title>");
  built = await createTestApp({ db: database.db, dataDir: database.dataDir, issuers: [issuer.config], env: { WEB_DIR: webDir } });
  unbuilt = await createTestApp({ db: database.db, dataDir: database.dataDir, issuers: [issuer.config], env: { WEB_DIR: path.join(database.dataDir, "elsewhere/web") } });
});

afterAll(async () => {
  await built.app.close();
  await unbuilt.app.close();
  await database.drop();
  await issuer.stop();
});

describe("add-in pages", () => {
  it("are served from dist/addin with the add-in's own Content-Security-Policy", async () => {
    const response = await built.app.inject({ method: "GET", url: "/addin/taskpane.html" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<title>pane</title>");
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com");
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/outlook\.office\.com /u);
    // WebAssembly compilation (Argon2id) only: never JavaScript eval.
    expect(csp.split(/[;\s]+/)).not.toContain("'unsafe-eval'");
    expect(response.headers["x-frame-options"]).toBeUndefined();
  });

  it("leave the rest of the app under the app-wide headers", async () => {
    const page = await built.app.inject({ method: "GET", url: "/" });
    expect(page.body).toContain("playground");
    expect(page.headers["x-frame-options"]).toBeDefined();
    expect(String(page.headers["content-security-policy"])).not.toContain("appsforoffice");
  });

  it("say how to build them when the build is missing", async () => {
    const response = await unbuilt.app.inject({ method: "GET", url: "/addin/taskpane.html" });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain("Run `npm run build`");
  });
});
