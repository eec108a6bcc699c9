import fs from "node:fs";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { build, type Plugin } from "vite";
import { buildManifest, type ExtensionConfig } from "./manifest";

/**
 * Finishes the extension package after Vite built the sidebar page and the service worker:
 *
 * 1. builds the content script separately as one classic IIFE file, because Manifest V3 content
 *    scripts are not modules and cannot import chunks;
 * 2. writes manifest.json (from chrome-manifest.json, backend origin filled in) and config.json
 *    (the same origin, read by the extension at run time);
 * 3. zips the folder for the Chrome Web Store / Edge Add-ons (`<outDir>/../smartcert-extension.zip`).
 */
export interface PackageOptions {
  readonly repoRoot: string;
  readonly outDir: string;
  readonly zipFile: string;
  readonly backendOrigin: string;
}

export function extensionPackage(options: PackageOptions): Plugin {
  return {
    name: "smartcert-extension-package",
    apply: "build",
    async closeBundle() {
      await buildContentScript(options);
      const source: unknown = JSON.parse(fs.readFileSync(path.join(options.repoRoot, "chrome-manifest.json"), "utf8"));
      const manifest = buildManifest(source, options.backendOrigin);
      fs.writeFileSync(path.join(options.outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      const config: ExtensionConfig = { backendOrigin: options.backendOrigin };
      fs.writeFileSync(path.join(options.outDir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
      fs.writeFileSync(options.zipFile, zipSync(readTree(options.outDir), { level: 9 }));
    },
  };
}

async function buildContentScript({ repoRoot, outDir }: PackageOptions): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      lib: {
        entry: path.join(repoRoot, "extension/content/content-script.ts"),
        formats: ["iife"],
        name: "smartCertContentScript",
        fileName: () => "content-script.js",
      },
    },
  });
}

/** Every file under `dir` as fflate's input, with forward-slash paths relative to `dir`. */
function readTree(dir: string, prefix = ""): Zippable {
  const tree: Zippable = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(tree, readTree(full, `${prefix}${entry.name}/`));
    else tree[`${prefix}${entry.name}`] = fs.readFileSync(full);
  }
  return tree;
}
