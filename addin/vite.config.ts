import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Builds the Outlook add-in's pages into dist/addin/, served under /addin/ (by the backend, and by
 * `npm run start:outlook` over https). Office.js itself is not bundled: Microsoft requires loading
 * it from its CDN, so the pages keep that plain <script> tag and Vite leaves it alone. The icons
 * and manifests are written after this build by addin/build/write-addin-assets.ts.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../dist/addin", import.meta.url));
const page = (name: string) => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

export default defineConfig({
  root,
  base: "/addin/",
  plugins: [react()],
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input: { taskpane: page("taskpane"), commands: page("commands"), "auth-dialog": page("auth-dialog"), support: page("support") },
    },
  },
});
