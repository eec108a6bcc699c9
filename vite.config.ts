import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Builds the web app the backend serves at `/`: today the playground (shared/playground/index.html)
 * with the real pane inside. Output goes to dist/web/ with dist/web/index.html at its root and
 * assets referenced from `/` (`/assets/…`), so the backend can serve the folder as-is.
 *
 * The built page must run under the backend's Content-Security-Policy (script-src 'self'): Vite
 * emits only external module scripts, no inline ones.
 */
const root = fileURLToPath(new URL("./shared/playground", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/web", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  // The repo root has no public/ folder for the web app; do not copy anything implicitly.
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    // The first paint's JavaScript is held to 150 KB gzip by bench/pane.bench.ts (views, API client
    // and sign-in load lazily: shared/pane/shell/lazy-views.ts). This only warns when one chunk
    // grows past what that budget leaves room for.
    chunkSizeWarningLimit: 400,
  },
});
