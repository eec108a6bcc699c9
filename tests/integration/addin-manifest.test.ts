// @vitest-environment jsdom
// (for the browser's own XML parser, DOMParser, which reports malformed XML as <parsererror>)
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ICON_SIZES } from "../../addin/build/icons";
import { ADDIN_IDS, DEV_ADDIN_ORIGIN, ManifestSettingsError, parseAddinOrigin, renderManifest, type ManifestSettings } from "../../addin/build/manifest";
import { REPO_ROOT } from "../support/server-process";

/**
 * The add-in manifest as Outlook reads it: well-formed XML, elements in the order of the mail
 * add-in XSDs (MailAppVersionOverridesV1_0/V1_1.xsd, offappmanifest-1.1.xsd), https everywhere in
 * production, stable ids, and every icon and page it references present in the build (dist/addin,
 * written by `npm run build`, which `npm test` runs first).
 */
const source = fs.readFileSync(path.join(REPO_ROOT, "manifest.xml"), "utf8");
const distDir = path.join(REPO_ROOT, "dist/addin");
const productionOrigin = "https://smartcert.example.com";
const entraClientId = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

/** Child element sequences from the XSDs, per parent (the parent's xsi:type where it matters). */
const schemaOrder: Record<string, readonly string[]> = {
  OfficeApp: ["Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "FormSettings", "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides"],
  VersionOverridesV1_0: ["Description", "Requirements", "Hosts", "Resources", "VersionOverrides"],
  VersionOverridesV1_1: ["Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo", "EquivalentAddins"],
  MailHost: ["Runtimes", "DesktopFormFactor", "MobileFormFactor"],
  DesktopFormFactor: ["FunctionFile", "ExtensionPoint", "SupportsSharedFolders"],
  MobileFormFactor: ["FunctionFile", "ExtensionPoint"],
  Group: ["Label", "Control"],
  Button: ["Label", "Supertip", "Icon", "Action"],
  MobileButton: ["Label", "Icon", "Action"],
  Supertip: ["Title", "Description"],
  ShowTaskpane: ["SourceLocation", "SupportsPinning"],
  ExecuteFunction: ["FunctionName"],
  Resources: ["Images", "Urls", "ShortStrings", "LongStrings"],
  WebApplicationInfo: ["Id", "Resource", "Scopes"],
  DesktopSettings: ["SourceLocation", "RequestedHeight"],
};
const required: Record<string, readonly string[]> = {
  OfficeApp: ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "FormSettings", "Permissions", "Rule"],
  Button: ["Label", "Supertip", "Icon", "Action"],
  WebApplicationInfo: ["Id", "Resource"],
};

function parse(xml: string): Document {
  const document = new DOMParser().parseFromString(xml, "application/xml");
  const error = document.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`manifest is not well-formed XML: ${error.textContent}`);
  return document;
}

const xsiType = (element: Element) => element.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type");
const children = (element: Element) => [...element.children];
const all = (document: Document) => [...document.getElementsByTagName("*")];

function orderKey(element: Element): string {
  const type = xsiType(element);
  if (element.localName === "VersionOverrides" || element.localName === "Host") return type ?? element.localName;
  if (element.localName === "Control") return type ?? "Control";
  if (element.localName === "Action") return type ?? "Action";
  return element.localName;
}

/** Where the document breaks the XSD sequences above: unknown children, wrong order, missing required ones. */
function schemaViolations(document: Document): string[] {
  const violations: string[] = [];
  for (const element of all(document)) {
    const key = orderKey(element);
    const order = schemaOrder[key];
    if (!order) continue;
    const names = children(element).map((child) => child.localName);
    for (const name of names) if (!order.includes(name)) violations.push(`${key}: unknown child ${name}`);
    const known = names.filter((name) => order.includes(name));
    known.forEach((name, index) => {
      const previous = known[index - 1];
      if (previous !== undefined && order.indexOf(previous) > order.indexOf(name)) violations.push(`${key}: ${previous} before ${name}`);
    });
    for (const name of required[key] ?? []) if (!names.includes(name)) violations.push(`${key}: missing ${name}`);
  }
  return violations;
}

/** Every URL the manifest makes Outlook fetch or allow. */
function urls(document: Document): string[] {
  const values = all(document).flatMap((element) => {
    const value = element.getAttribute("DefaultValue");
    return value?.includes("://") ? [value] : [];
  });
  const appDomains = all(document).filter((e) => e.localName === "AppDomain").map((e) => e.textContent);
  return [...values, ...appDomains];
}

function render(settings: Partial<ManifestSettings> = {}) {
  return renderManifest(source, { variant: "production", origin: productionOrigin, entraClientId, ...settings });
}

describe("add-in manifest", () => {
  let production: Document;
  let development: Document;
  beforeAll(() => {
    production = parse(render());
    const devPath = path.join(distDir, "manifest.dev.xml");
    if (!fs.existsSync(devPath)) throw new Error("dist/addin/manifest.dev.xml is missing: run `npm run build` first (npm test does).");
    development = parse(fs.readFileSync(devPath, "utf8"));
  });

  it("is a MailApp with VersionOverrides 1.1 inside 1.0 and Mailbox 1.5 as the minimum", () => {
    for (const document of [production, development]) {
      const root = document.documentElement;
      expect(root.localName).toBe("OfficeApp");
      expect(xsiType(root)).toBe("MailApp");
      const overrides = all(document).filter((e) => e.localName === "VersionOverrides").map(xsiType);
      expect(overrides).toEqual(["VersionOverridesV1_0", "VersionOverridesV1_1"]);
      const sets = all(document).filter((e) => e.localName === "Set").map((e) => `${e.getAttribute("Name") ?? ""}@${e.getAttribute("MinVersion") ?? e.parentElement?.getAttribute("DefaultMinVersion") ?? ""}`);
      expect(sets).toEqual(["Mailbox@1.5", "Mailbox@1.5"]);
    }
  });

  it("has its elements in schema order, with the required ones present", () => {
    expect(schemaViolations(production)).toEqual([]);
    expect(schemaViolations(development)).toEqual([]);
  });

  it("would notice elements out of order, unknown or missing (the check can fail)", () => {
    const swapped = render().replace(/(<Permissions>[^<]*<\/Permissions>)(\s*)(<Rule [\s\S]*?<\/Rule>\n)/u, "$3$2$1");
    expect(swapped).not.toBe(render());
    expect(schemaViolations(parse(swapped))).toEqual(["OfficeApp: Rule before Permissions"]);
    expect(schemaViolations(parse(render().replace("<SupportsPinning>true</SupportsPinning>", "<Pinning>true</Pinning>")))).toEqual(["ShowTaskpane: unknown child Pinning"]);
    expect(schemaViolations(parse(render().replace(/<Supertip>[\s\S]*?<\/Supertip>/u, "")))).toEqual(["Button: missing Supertip"]);
  });

  it("offers the read pane (pinnable), Share cert, the compose buttons and a mobile read button", () => {
    const controls = Object.fromEntries(all(production).filter((e) => e.localName === "Control").map((control): [string, unknown] => {
      const action = children(control).find((c) => c.localName === "Action");
      const detail = action && (children(action).find((c) => c.localName === "FunctionName")?.textContent ?? children(action).find((c) => c.localName === "SourceLocation")?.getAttribute("resid"));
      const pinning = action && children(action).find((c) => c.localName === "SupportsPinning")?.textContent;
      const surface = control.closest("ExtensionPoint") ?? control.parentElement?.parentElement;
      return [control.getAttribute("id") ?? "", { surface: surface ? xsiType(surface) : null, action: action ? xsiType(action) : null, detail, pinning }];
    }));
    expect(controls).toEqual({
      smartcertReadPaneButton: { surface: "MessageReadCommandSurface", action: "ShowTaskpane", detail: "Taskpane.Url", pinning: "true" },
      smartcertShareCertButton: { surface: "MessageReadCommandSurface", action: "ExecuteFunction", detail: "shareCert", pinning: undefined },
      smartcertInsertCertButton: { surface: "MessageComposeCommandSurface", action: "ShowTaskpane", detail: "TaskpaneInsertCert.Url", pinning: undefined },
      smartcertSendSecurelyButton: { surface: "MessageComposeCommandSurface", action: "ShowTaskpane", detail: "TaskpaneSendSecurely.Url", pinning: undefined },
      smartcertMobilePaneButton: { surface: "MobileMessageReadCommandSurface", action: "ShowTaskpane", detail: "Taskpane.Url", pinning: undefined },
    });
  });

  it("resolves every resource reference and keeps control and group ids unique", () => {
    const defined = new Set(all(production).filter((e) => e.parentElement?.parentElement?.localName === "Resources").map((e) => e.getAttribute("id")));
    const referenced = all(production).map((e) => e.getAttribute("resid")).filter((id): id is string => id !== null);
    expect(referenced.length).toBeGreaterThan(20);
    for (const id of referenced) expect(defined, `resid ${id}`).toContain(id);
    const ids = all(production).filter((e) => ["Control", "Group"].includes(e.localName)).map((e) => e.getAttribute("id"));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses https for every URL in production, all on the configured origin", () => {
    const found = urls(production);
    expect(found.length).toBeGreaterThan(15);
    for (const url of found) expect(url.startsWith(`${productionOrigin}/`) || url === productionOrigin, url).toBe(true);
    expect(all(production).find((e) => e.localName === "Resource")?.textContent).toBe(`api://smartcert.example.com/${entraClientId}`);
    expect(all(production).find((e) => e.localName === "WebApplicationInfo")?.getElementsByTagName("Id")[0]?.textContent).toBe(entraClientId);
  });

  it("keeps its ids stable: production and development differ, each is fixed", () => {
    expect(production.getElementsByTagName("Id")[0]?.textContent).toBe(ADDIN_IDS.production);
    expect(development.getElementsByTagName("Id")[0]?.textContent).toBe(ADDIN_IDS.development);
    expect(ADDIN_IDS).toEqual({ production: "6f1b6a52-0c39-4b59-9a8e-3b0e6f6e7c11", development: "0d7e2b9c-4f4e-4a51-9c11-5b2f0c6d8e21" });
    expect(urls(development).every((url) => url.startsWith(DEV_ADDIN_ORIGIN))).toBe(true);
    expect(render()).toBe(render()); // deterministic
  });

  it("references only icons and pages that exist in the build, icons as PNGs of the declared size", () => {
    const files = new Set(urls(production).map((url) => new URL(url).pathname).filter((pathname) => pathname !== "/"));
    expect([...files].sort()).toEqual(
      ["/addin/commands.html", "/addin/support.html", "/addin/taskpane.html", ...ICON_SIZES.map((size) => `/addin/assets/icon-${size}.png`)].sort(),
    );
    for (const file of files) {
      const onDisk = path.join(distDir, file.replace(/^\/addin\//u, ""));
      expect(fs.existsSync(onDisk), `${file} in dist/addin`).toBe(true);
      const size = /icon-(\d+)\.png$/u.exec(file)?.[1];
      if (size === undefined) continue;
      const png = fs.readFileSync(onDisk);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
    }
    for (const image of all(production).filter((e) => e.localName === "Image" && e.getAttribute("id"))) {
      const size = /Icon\.(\d+)x\1/u.exec(image.getAttribute("id") ?? "")?.[1];
      expect(image.getAttribute("DefaultValue")).toBe(`${productionOrigin}/addin/assets/icon-${size ?? "?"}.png`);
    }
  });

  it("refuses origins Outlook would not load and unknown placeholders", () => {
    expect(() => render({ origin: "http://smartcert.example.com" })).toThrow(ManifestSettingsError);
    expect(() => parseAddinOrigin("https://smartcert.example.com/app", "ADDIN_ORIGIN")).toThrow(/origin only/u);
    expect(() => render({ entraClientId: "not-a-guid" })).toThrow(/GUID/u);
    expect(() => renderManifest(`${source}<!-- \${NOPE} -->`.replace("<Version>", "<Version>${NOPE}"), { variant: "production", origin: productionOrigin })).toThrow(/NOPE/u);
  });
});
