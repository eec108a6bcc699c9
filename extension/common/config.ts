import browser from "webextension-polyfill";
import { extensionConfigSchema, type ExtensionConfig } from "../build/manifest";

/**
 * The build's configuration (config.json next to the manifest: the backend origin). Read from the
 * extension's own files, so it works in the service worker and the sidebar page alike.
 */
let loaded: Promise<ExtensionConfig> | undefined;

export function loadExtensionConfig(): Promise<ExtensionConfig> {
  loaded ??= (async () => {
    const response = await fetch(browser.runtime.getURL("config.json"));
    if (!response.ok) throw new Error(`config.json could not be read (${response.status}).`);
    return extensionConfigSchema.parse(await response.json());
  })();
  return loaded;
}
