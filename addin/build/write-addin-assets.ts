import fs from "node:fs";
import path from "node:path";
import { ICON_SIZES, iconPng } from "./icons";
import { DEV_ADDIN_ORIGIN, ManifestSettingsError, parseAddinOrigin, renderManifest } from "./manifest";

/**
 * Second half of `npm run build:addin` (after Vite): writes the icons and the manifests into
 * dist/addin. The development manifest is always written; the production one when ADDIN_ORIGIN
 * (or an https PUBLIC_URL) says where the add-in is served. ADDIN_ENTRA_CLIENT_ID is the Microsoft
 * Entra app id for Nested App Authentication.
 */
const repoRoot = path.resolve(import.meta.dirname, "../..");
const outDir = path.join(repoRoot, "dist/addin");

function main(): void {
  if (!fs.existsSync(path.join(outDir, "taskpane.html"))) throw new Error("dist/addin/taskpane.html is missing: run the Vite build of the add-in first (npm run build:addin).");
  const assets = path.join(outDir, "assets");
  fs.mkdirSync(assets, { recursive: true });
  for (const size of ICON_SIZES) fs.writeFileSync(path.join(assets, `icon-${size}.png`), iconPng(size));

  const source = fs.readFileSync(path.join(repoRoot, "manifest.xml"), "utf8");
  const entraClientId = process.env.ADDIN_ENTRA_CLIENT_ID || undefined;
  fs.writeFileSync(path.join(outDir, "manifest.dev.xml"), renderManifest(source, { variant: "development", origin: DEV_ADDIN_ORIGIN, entraClientId }));
  console.log(`add-in: wrote dist/addin/manifest.dev.xml (${DEV_ADDIN_ORIGIN}) and ${ICON_SIZES.length} icons`);

  const productionOrigin = process.env.ADDIN_ORIGIN || (process.env.PUBLIC_URL?.startsWith("https://") ? process.env.PUBLIC_URL : undefined);
  if (productionOrigin === undefined) {
    console.log("add-in: no production manifest (set ADDIN_ORIGIN=https://your.host to write dist/addin/manifest.xml)");
    return;
  }
  const origin = parseAddinOrigin(productionOrigin, process.env.ADDIN_ORIGIN ? "ADDIN_ORIGIN" : "PUBLIC_URL");
  fs.writeFileSync(path.join(outDir, "manifest.xml"), renderManifest(source, { variant: "production", origin, entraClientId }));
  console.log(`add-in: wrote dist/addin/manifest.xml (${origin})`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof ManifestSettingsError ? `add-in: ${error.message}` : error);
  process.exitCode = 1;
}
