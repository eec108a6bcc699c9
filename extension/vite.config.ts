import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { parseBackendOrigin } from "./build/manifest";
import { extensionPackage } from "./build/package-plugin";

/**
 * Builds the Chrome MV3 extension into dist/extension/ (load it unpacked) and
 * dist/smartcert-extension.zip (next to the output folder). `SMARTCERT_BACKEND_ORIGIN` (default http://localhost:3000) names
 * the SmartCert backend; it becomes a host permission and config.json.
 *
 * This build makes the sidebar page (sidebar.html, React pane) and the module service worker
 * (service-worker.js at the root, as the manifest names it); the plugin adds the content script
 * (classic IIFE), manifest.json, config.json and the zip. No inline scripts and no eval anywhere:
 * the extension pages' CSP is `script-src 'self' 'wasm-unsafe-eval'` (WebAssembly for Argon2id only).
 */
const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const root = fileURLToPath(new URL(".", import.meta.url));
// SMARTCERT_EXTENSION_OUT_DIR lets tests build a copy for their own backend without touching dist/.
const outDir = path.resolve(process.env.SMARTCERT_EXTENSION_OUT_DIR ?? fileURLToPath(new URL("../dist/extension", import.meta.url)));
const zipFile = path.join(path.dirname(outDir), "smartcert-extension.zip");
const backendOrigin = parseBackendOrigin(process.env.SMARTCERT_BACKEND_ORIGIN);

export default defineConfig({
  root,
  base: "./",
  plugins: [react(), extensionPackage({ repoRoot, outDir, zipFile, backendOrigin })],
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    // The preload polyfill is an inline-free module, but the service worker has no document: keep it out.
    modulePreload: false,
    rollupOptions: {
      input: {
        sidebar: fileURLToPath(new URL("sidebar.html", import.meta.url)),
        "service-worker": fileURLToPath(new URL("background/service-worker.ts", import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === "service-worker" ? "service-worker.js" : "assets/[name]-[hash].js"),
      },
    },
  },
});
