import { z } from "zod";

/**
 * Turns the manifest source (chrome-manifest.json at the repo root) into the manifest the build
 * ships: the backend origin, known only at build time, replaces the `__BACKEND_ORIGIN__`
 * placeholder in `host_permissions`. Pure, so a unit test can check it without building.
 */

export const BACKEND_ORIGIN_PLACEHOLDER = "__BACKEND_ORIGIN__";
export const DEFAULT_BACKEND_ORIGIN = "http://localhost:3000";

/** The runtime configuration written next to the manifest (config.json) and read by the extension. */
export const extensionConfigSchema = z.object({
  backendOrigin: z.url(),
});
export type ExtensionConfig = z.infer<typeof extensionConfigSchema>;

/** Accepts an origin only (scheme, host, optional port): no path, query or trailing slash. */
export function parseBackendOrigin(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_BACKEND_ORIGIN;
  const url = URL.parse(value);
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== value) {
    throw new Error(`SMARTCERT_BACKEND_ORIGIN must be an origin like https://smartcert.example.com, got ${JSON.stringify(value)}`);
  }
  // Plain http is for a backend on this machine only: tokens must not cross a network unencrypted.
  if (url.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) {
    throw new Error(`SMARTCERT_BACKEND_ORIGIN must use https unless it is localhost, got ${value}`);
  }
  return value;
}

/** The manifest to ship, with the backend origin in place of the placeholder. */
export function buildManifest(source: unknown, backendOrigin: string): Record<string, unknown> {
  const manifest = z.looseObject({ manifest_version: z.literal(3), host_permissions: z.array(z.string()) }).parse(source);
  if (!manifest.host_permissions.includes(`${BACKEND_ORIGIN_PLACEHOLDER}/*`)) {
    throw new Error(`chrome-manifest.json: host_permissions must contain "${BACKEND_ORIGIN_PLACEHOLDER}/*"`);
  }
  return {
    ...(source as Record<string, unknown>),
    host_permissions: manifest.host_permissions.map((entry) => entry.replace(BACKEND_ORIGIN_PLACEHOLDER, backendOrigin)),
  };
}
