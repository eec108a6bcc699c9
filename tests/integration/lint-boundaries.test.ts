import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/server-process";

/**
 * The dependency direction of docs/ARCHITECTURE.md is enforced by the project's own ESLint
 * configuration. These cases lint small snippets as if they lived in each folder, with only the
 * two boundary rules (no type information needed), and expect exactly the violations.
 */
const eslint = new ESLint({
  cwd: REPO_ROOT,
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports" || ruleId === "no-restricted-globals",
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("dependency direction", () => {
  it.each([
    ["shared/pane/x.ts", 'import { buildApp } from "../../backend/app";'],
    ["shared/pane/x.ts", 'import { x } from "../../addin/host";'],
    ["shared/pane/x.ts", 'import { x } from "../../extension/host";'],
    ["shared/pane/x.ts", 'import { createOidcClient } from "../auth/oidc-client";'],
    ["shared/protocol/x.ts", 'import { x } from "../pane/App";'],
    ["backend/orgs/x.ts", 'import { FakeHost } from "../../shared/host/fake-host";'],
    ["backend/orgs/x.ts", 'import React from "react";'],
    ["addin/x.ts", 'import { buildApp } from "../backend/app";'],
    ["extension/x.ts", 'import { x } from "../addin/host";'],
  ])("%s rejects %s", async (file, code) => {
    expect(await violations(file, code)).toEqual(["no-restricted-imports"]);
  });

  it.each([
    ["backend/orgs/x.ts", 'import { problemSchema } from "../../shared/protocol/problem";'],
    ["shared/pane/x.ts", 'import { problemSchema } from "../protocol/problem";'],
    ["addin/x.ts", 'import { FakeHost } from "../shared/host/fake-host";'],
    ["extension/x.ts", 'import { FakeHost } from "../shared/host/fake-host";'],
  ])("%s allows %s", async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });

  it.each(["Office.onReady();", "chrome.runtime.id;", "browser.runtime.id;"])("rejects the host global in %s outside the hosts", async (code) => {
    expect(await violations("shared/pane/x.ts", code)).toEqual(["no-restricted-globals"]);
    expect(await violations("backend/x.ts", code)).toEqual(["no-restricted-globals"]);
    expect(await violations("addin/x.ts", code.startsWith("Office") ? code : "export {};")).toEqual([]);
    expect(await violations("extension/x.ts", code.startsWith("Office") ? "export {};" : code)).toEqual([]);
  });
});
