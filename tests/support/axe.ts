import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { REPO_ROOT } from "./server-process";

/**
 * axe-core in a Playwright page, for the pane's end-to-end tests. Only "serious" and "critical"
 * findings fail; they are printed one per line so the failure says what to fix. `AXE_ALL=1` fails
 * on findings of any impact (to see the moderate and minor ones too). The server's CSP blocks the
 * injected script: use a context with `bypassCSP: true`.
 */

export const AXE_PATH = path.join(REPO_ROOT, "node_modules/axe-core/axe.min.js");
export const PANE = '[data-testid="smartcert-pane"]';

interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly html: string; readonly failureSummary?: string }[];
}

/** Runs axe on the pane and returns its serious and critical findings, formatted for reading. */
export async function seriousFindings(page: Page): Promise<string[]> {
  if ((await page.evaluate(() => typeof (window as { axe?: unknown }).axe)) === "undefined") {
    await page.addScriptTag({ path: AXE_PATH });
  }
  await page.locator(PANE).waitFor();
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (context: object, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    if (!document.querySelector(selector)) throw new Error(`No ${selector} on the page.`);
    // Tabster's (Fluent's focus manager) dummy elements are aria-hidden and focusable on purpose: they
    // only redirect focus. axe's aria-hidden-focus flags them; Fluent lists this as a known false
    // positive (microsoft/tabster#288), so they alone are left out.
    const results = await axe.run({ include: [selector], exclude: ["[data-tabster-dummy]"] }, { resultTypes: ["violations"] });
    return JSON.parse(JSON.stringify(results.violations)) as unknown;
  }, PANE);
  return (violations as AxeFinding[])
    .filter((v) => process.env.AXE_ALL === "1" || v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map(
        (node) => `[${v.impact ?? "?"}] ${v.id}: ${v.help} at ${node.target.map(String).join(" > ")}\n    ${node.html.slice(0, 300)}\n    ${(node.failureSummary ?? "").replaceAll("\n", "\n    ")}\n    ${v.helpUrl}`,
      ),
    );
}

export async function expectNoSeriousFindings(page: Page, where: string): Promise<void> {
  const findings = await seriousFindings(page);
  expect(findings, `axe findings on ${where}:\n${findings.join("\n")}`).toEqual([]);
}
