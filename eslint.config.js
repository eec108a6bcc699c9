// Lint is part of `npm test` with zero warnings allowed. Besides type-aware rules, it enforces the
// dependency direction of docs/ARCHITECTURE.md: shared/ never imports a host or the backend,
// backend/ imports only shared/protocol, and host globals (Office, chrome, browser) appear only
// in addin/ and extension/.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const hostGlobals = ["Office", "OfficeRuntime", "chrome", "browser"].map((name) => ({
  name,
  message: `The host API '${name}' may only be used in addin/ or extension/ (see docs/ARCHITECTURE.md).`,
}));

const importRule = (patterns) => ["error", { patterns }];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "data/", "coverage/", ".tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-globals": ["error", ...hostGlobals],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["shared/**"],
    rules: {
      "no-restricted-imports": importRule([
        { group: ["**/addin/**", "**/extension/**", "**/backend/**"], message: "shared/ must not import a host adapter or the backend." },
      ]),
    },
  },
  {
    // The pane signs in only through host.auth, so each host can bring its own sign-in.
    files: ["shared/pane/**"],
    rules: {
      "no-restricted-imports": importRule([
        { group: ["**/addin/**", "**/extension/**", "**/backend/**"], message: "shared/ must not import a host adapter or the backend." },
        { group: ["**/auth/**"], message: "The pane signs in through the Host (host.auth), never shared/auth directly." },
      ]),
    },
  },
  {
    files: ["shared/protocol/**"],
    rules: {
      "no-restricted-imports": importRule([
        { group: ["**/addin/**", "**/extension/**", "**/backend/**", "react", "react-dom", "@fluentui/*", "../*", "!../protocol/**"], message: "shared/protocol holds wire schemas only: zod and nothing else from the project." },
      ]),
    },
  },
  {
    files: ["backend/**"],
    rules: {
      "no-restricted-imports": importRule([
        { group: ["**/addin/**", "**/extension/**"], message: "backend/ must not import a host adapter." },
        { regex: "(^|/)shared/(?!protocol/)", message: "backend/ may import only shared/protocol from shared/." },
        { group: ["react", "react-dom", "@fluentui/*"], message: "backend/ has no UI." },
      ]),
    },
  },
  {
    files: ["addin/**"],
    rules: {
      "no-restricted-globals": "off",
      "no-restricted-imports": importRule([
        { group: ["**/backend/**", "**/extension/**"], message: "addin/ may import only shared/." },
      ]),
    },
  },
  {
    files: ["extension/**"],
    rules: {
      "no-restricted-globals": "off",
      "no-restricted-imports": importRule([
        { group: ["**/backend/**", "**/addin/**"], message: "extension/ may import only shared/." },
      ]),
    },
  },
);
