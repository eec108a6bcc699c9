import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { CHROMIUM_PATH } from "./chromium-path";
import { tempDir } from "./databases";

/**
 * Debian's Chromium driven by playwright-core. The flags keep Chromium off this machine's closed
 * network (background services, component updates, sync) so it starts quickly and quietly.
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run 'npm test' (it installs the Debian package 'chromium') or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** A persistent context with a fresh profile, for tests that load an unpacked extension. */
export async function launchPersistentContext(extraArgs: string[] = []): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir("chromium-profile"), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}
