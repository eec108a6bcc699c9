import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** bench/RESULTS.md: each bench script owns the section between its own markers. */
export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "RESULTS.md");

const HEADER = "# Benchmark results\n\nWritten by the scripts in bench/ (`npm run bench`); each owns the section between its markers.\n";

/**
 * Replaces the text from `start` to `end` (both markers included in `section`) or appends the
 * section; everything outside the markers, such as analysis written by hand, stays as it is.
 */
export function writeResultsSection(section: string, start: string, end: string): void {
  const existing = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, "utf8") : HEADER;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  const updated = from >= 0 && to > from ? existing.slice(0, from) + section + existing.slice(to + end.length) : `${existing.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(RESULTS_FILE, updated);
}
