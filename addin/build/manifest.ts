/**
 * Renders the add-in manifest (repo-root manifest.xml, the one source) for one deployment. Two
 * variants come out of the build: development (https://localhost:3443, its own add-in id and
 * name so it can be sideloaded next to production) and production (the configured origin).
 */

/** Stable add-in ids: Outlook keys installs by these, so they must never change. */
export const ADDIN_IDS = {
  production: "6f1b6a52-0c39-4b59-9a8e-3b0e6f6e7c11",
  development: "0d7e2b9c-4f4e-4a51-9c11-5b2f0c6d8e21",
} as const;

export type ManifestVariant = keyof typeof ADDIN_IDS;

/** Where `npm run start:outlook` serves the add-in. */
export const DEV_ADDIN_ORIGIN = "https://localhost:3443";

/**
 * Used when no Microsoft Entra app is configured (development with the local OpenID provider):
 * the nil GUID is syntactically valid, so the manifest still validates, and NAA is simply not used.
 */
export const NO_ENTRA_CLIENT_ID = "00000000-0000-0000-0000-000000000000";

export interface ManifestSettings {
  readonly variant: ManifestVariant;
  /** https origin serving dist/addin under /addin/, without a trailing slash or path. */
  readonly origin: string;
  /** Microsoft Entra application (client) id for Nested App Authentication. */
  readonly entraClientId?: string;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export class ManifestSettingsError extends Error {
  override readonly name = "ManifestSettingsError";
}

/** Checks an origin the way Outlook will: https, no path, query or credentials. */
export function parseAddinOrigin(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ManifestSettingsError(`${variable} must be an https origin such as https://smartcert.example.com (got "${value}").`);
  }
  if (url.protocol !== "https:") throw new ManifestSettingsError(`${variable} must use https: Outlook loads add-ins only over https (got "${value}").`);
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new ManifestSettingsError(`${variable} must be an origin only, without path, query or credentials (got "${value}").`);
  }
  return url.origin;
}

export function renderManifest(source: string, settings: ManifestSettings): string {
  const origin = parseAddinOrigin(settings.origin, "origin");
  const clientId = settings.entraClientId ?? NO_ENTRA_CLIENT_ID;
  if (!guid.test(clientId)) throw new ManifestSettingsError(`The Entra client id must be a GUID (got "${clientId}").`);
  const values: Record<string, string> = {
    ADDIN_ID: ADDIN_IDS[settings.variant],
    DISPLAY_NAME: settings.variant === "production" ? "SmartCert Inbox" : "SmartCert Inbox (dev)",
    ORIGIN: origin,
    ORIGIN_HOST: new URL(origin).host,
    ENTRA_CLIENT_ID: clientId,
  };
  // The header comment documents the placeholders; it does not belong in the output.
  const body = source.replace(/<!--[\s\S]*?-->\s*/u, "");
  return body.replace(/\$\{([A-Z_]+)\}/gu, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new ManifestSettingsError(`manifest.xml uses an unknown placeholder ${placeholder}.`);
    return value;
  });
}
