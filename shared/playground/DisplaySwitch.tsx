import { useSyncExternalStore } from "react";
import type { FakeHost } from "../host/fake-host";

/**
 * The playground header's language and theme switches. They change the FakeHost's `locale` and
 * `theme`, as a user changing the mailbox's own settings would; the pane follows the host.
 */
export function DisplaySwitch({ host }: { readonly host: FakeHost }) {
  const locale = useSyncExternalStore(
    (onChange) => host.onDisplayChanged(onChange),
    () => host.locale,
  );
  const theme = useSyncExternalStore(
    (onChange) => host.onDisplayChanged(onChange),
    () => host.theme,
  );
  return (
    <div className="playground-switches">
      <label>
        Language{" "}
        <select value={locale?.startsWith("sv") ? "sv-SE" : "en-GB"} onChange={(event) => {
            host.setLocale(event.target.value);
          }}>
          <option value="en-GB">English</option>
          <option value="sv-SE" lang="sv">
            Svenska
          </option>
        </select>
      </label>
      <label>
        Theme{" "}
        <select value={theme ?? "light"} onChange={(event) => {
            host.setTheme(event.target.value === "dark" ? "dark" : "light");
          }}>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </div>
  );
}
