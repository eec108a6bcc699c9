import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { CHROMIUM_PATH } from "./chromium-path";

/**
 * The end-to-end tests drive Debian's Chromium (no browser download works here). Before the test
 * run: if it is missing and we are root with apt, install the `chromium` package; otherwise stop
 * with a message that names the package.
 */

function hasApt(): boolean {
  return fs.existsSync("/usr/bin/apt-get");
}

function main(): void {
  if (fs.existsSync(CHROMIUM_PATH)) return;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !hasApt()) {
    console.error(
      `Chromium is needed for the end-to-end tests and was not found at ${CHROMIUM_PATH}.\n` +
        "Install the Debian package 'chromium' (sudo apt-get install chromium), or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
  console.log("Installing the Debian package 'chromium' for the end-to-end tests…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
  if (!fs.existsSync(CHROMIUM_PATH)) {
    console.error(`Installed 'chromium' but ${CHROMIUM_PATH} still does not exist.`);
    process.exit(1);
  }
}

main();
