import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The reader page the backend serves at /m/<id> (backend/messages/reader-page.ts): plain DOM, no
 * framework, built to dist/reader/ with assets under /m/assets/. It must run under a strict CSP
 * (script-src 'self' plus 'wasm-unsafe-eval' for Argon2id): Vite emits external module scripts
 * only, and the crypto worker as its own same-origin module file.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../../dist/reader", import.meta.url));

export default defineConfig({
  root,
  base: "/m/",
  publicDir: false,
  worker: { format: "es" },
  build: { outDir, emptyOutDir: true, modulePreload: { polyfill: false } },
});
