import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { DEV_EXTENSION_REDIRECT_URI } from "../../backend/oidc/mount";
import { buildManifest, parseBackendOrigin } from "../../extension/build/manifest";
import { REPO_ROOT } from "../support/server-process";

/**
 * The extension as built by `npm run build` (dist/extension and its zip): exactly the permissions
 * and Content-Security-Policy we mean to ship, nothing fetched from elsewhere, and an id that the
 * local OpenID provider knows as a redirect target.
 */
const distDir = path.join(REPO_ROOT, "dist/extension");

function builtManifest(): Record<string, unknown> {
  const file = path.join(distDir, "manifest.json");
  if (!fs.existsSync(file)) throw new Error("dist/extension is missing: run `npm run build` first (npm test does).");
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** Chrome's extension id: the first 32 hex digits of SHA-256(public key), written with a–p. */
function extensionIdOf(publicKeyBase64: string): string {
  const hex = createHash("sha256").update(Buffer.from(publicKeyBase64, "base64")).digest("hex").slice(0, 32);
  return hex.replace(/[0-9a-f]/gu, (digit) => String.fromCharCode(97 + Number.parseInt(digit, 16)));
}

describe("built extension manifest", () => {
  it("asks for exactly identity and storage, and hosts mail.google.com plus the backend", () => {
    const manifest = builtManifest();
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.permissions).toEqual(["identity", "storage"]);
    const config = JSON.parse(fs.readFileSync(path.join(distDir, "config.json"), "utf8")) as { backendOrigin: string };
    expect(manifest.host_permissions).toEqual(["https://mail.google.com/*", `${config.backendOrigin}/*`]);
    expect(manifest).not.toHaveProperty("optional_permissions");
    expect(manifest).not.toHaveProperty("externally_connectable");
  });

  it("allows only the extension's own scripts on its pages (no eval, no remote code)", () => {
    const manifest = builtManifest();
    // frame-ancestors: only Gmail may frame the extension's pages (the sidebar).
    expect(manifest.content_security_policy).toEqual({ extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; base-uri 'none'; frame-ancestors https://mail.google.com" });
    const files = fs.readdirSync(distDir, { recursive: true, encoding: "utf8" }).filter((file) => /\.(?:js|html)$/u.test(file));
    for (const file of files) {
      const text = fs.readFileSync(path.join(distDir, file), "utf8");
      expect(text, file).not.toMatch(/<script[^>]+src=["']https?:/u);
      expect(text, file).not.toMatch(/\beval\(/u);
    }
    const sidebar = fs.readFileSync(path.join(distDir, "sidebar.html"), "utf8");
    expect(sidebar).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/u); // no inline scripts
  });

  it("runs the content script on Gmail at document_idle and exposes only the sidebar page to Gmail", () => {
    const manifest = builtManifest();
    expect(manifest.content_scripts).toEqual([{ matches: ["https://mail.google.com/*"], js: ["content-script.js"], run_at: "document_idle", all_frames: false }]);
    expect(manifest.web_accessible_resources).toEqual([{ resources: ["sidebar.html"], matches: ["https://mail.google.com/*"] }]);
    expect(manifest.background).toEqual({ service_worker: "service-worker.js", type: "module" });
    for (const file of ["content-script.js", "service-worker.js", "sidebar.html"]) expect(fs.existsSync(path.join(distDir, file)), file).toBe(true);
    // A classic script: Chrome does not run content scripts as modules.
    expect(fs.readFileSync(path.join(distDir, "content-script.js"), "utf8")).not.toMatch(/^\s*(?:import|export)\s/mu);
  });

  it("has the fixed development id the local provider redirects to", () => {
    const manifest = builtManifest();
    expect(`https://${extensionIdOf(String(manifest.key))}.chromiumapp.org/`).toBe(DEV_EXTENSION_REDIRECT_URI);
  });

  it("zips the same files", () => {
    const zipped = unzipSync(fs.readFileSync(path.join(REPO_ROOT, "dist/smartcert-extension.zip")));
    expect(JSON.parse(new TextDecoder().decode(zipped["manifest.json"]))).toEqual(builtManifest());
    expect(Object.keys(zipped)).toEqual(expect.arrayContaining(["content-script.js", "service-worker.js", "sidebar.html", "config.json"]));
  });
});

describe("manifest source and backend origin", () => {
  const source: unknown = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "chrome-manifest.json"), "utf8"));

  it("puts the backend origin in place of the placeholder", () => {
    expect(buildManifest(source, "https://smartcert.example.com").host_permissions).toEqual(["https://mail.google.com/*", "https://smartcert.example.com/*"]);
  });

  it("accepts only origins, and plain http only for this machine", () => {
    expect(parseBackendOrigin(undefined)).toBe("http://localhost:3000");
    expect(parseBackendOrigin("https://smartcert.example.com")).toBe("https://smartcert.example.com");
    expect(() => parseBackendOrigin("https://smartcert.example.com/")).toThrow(/origin/);
    expect(() => parseBackendOrigin("https://smartcert.example.com/api")).toThrow(/origin/);
    expect(() => parseBackendOrigin("http://smartcert.example.com")).toThrow(/https/);
    expect(() => parseBackendOrigin("javascript:alert(1)")).toThrow();
  });

  it("refuses a source manifest without the backend placeholder", () => {
    expect(() => buildManifest({ manifest_version: 3, host_permissions: ["https://mail.google.com/*"] }, "https://x.example")).toThrow(/__BACKEND_ORIGIN__/);
  });
});
