import { paneStartViews, type PaneStartView } from "../pane/start-view";

const labels: Readonly<Record<PaneStartView, string>> = {
  context: "This email (default)",
  certs: "Certs",
  "insert-cert": "Insert cert (compose command)",
  "send-securely": "Send securely",
  settings: "Settings",
};

/**
 * Opens the pane where a host command would (`App`'s `startView`), so each start view can be
 * tried without editing the URL (`?startView=` sets the first one).
 */
export function StartViewSwitch({ value, onChange }: { readonly value: PaneStartView; readonly onChange: (view: PaneStartView) => void }) {
  return (
    <label>
      Open pane at{" "}
      <select
        value={value}
        onChange={(event) => {
          onChange(paneStartViews.find((view) => view === event.target.value) ?? "context");
        }}
      >
        {paneStartViews.map((view) => (
          <option key={view} value={view}>
            {labels[view]}
          </option>
        ))}
      </select>
    </label>
  );
}
