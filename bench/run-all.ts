/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after another (they must
 * not compete for the two cores), or only those named on the command line:
 *   npm run bench                      # all of them
 *   npm run bench -- network pane      # bench/network.bench.ts and bench/pane.bench.ts
 * Each script owns its section of bench/RESULTS.md. A failing script does not stop the others;
 * the exit code is non-zero if any failed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = fs
  .readdirSync(benchDir)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.bench\.ts$/, "")))
  .sort();

if (scripts.length === 0) {
  process.stderr.write(`No bench script matches ${wanted.join(", ")}.\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const script of scripts) {
  process.stdout.write(`\n=== ${script} ===\n`);
  const tsx = path.join(benchDir, "..", "node_modules", ".bin", "tsx");
  const result = spawnSync(tsx, [path.join(benchDir, script)], { stdio: "inherit" });
  if (result.status !== 0) failed.push(script);
}
if (failed.length > 0) {
  process.stderr.write(`\nFailed: ${failed.join(", ")}\n`);
  process.exit(1);
}
