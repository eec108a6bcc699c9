import browser from "webextension-polyfill";

/**
 * The sidebar: an extension-origin iframe (sidebar.html) fixed to the right of Gmail, plus a tab to
 * show or hide it. Gmail's page sees only the frame element; what renders inside (the pane, its
 * tokens and API responses) lives in the extension's origin, out of the page's reach.
 *
 * Our own chrome (container, toggle) sits in a closed shadow root so Gmail's CSS cannot restyle it
 * and Gmail's scripts cannot walk into it.
 */

export interface Sidebar {
  readonly frame: HTMLIFrameElement;
  setOpen(open: boolean): void;
  readonly isOpen: () => boolean;
}

const WIDTH_PX = 380;

export function mountSidebar(doc: Document, sessionId: string): Sidebar {
  const host = doc.createElement("div");
  host.setAttribute("data-smartcert", "sidebar");
  const shadow = host.attachShadow({ mode: "closed" });

  const panel = doc.createElement("div");
  Object.assign(panel.style, {
    position: "fixed",
    top: "0",
    right: "0",
    bottom: "0",
    width: `${WIDTH_PX}px`,
    zIndex: "2147483000",
    boxShadow: "-2px 0 8px rgba(0,0,0,.2)",
    background: "Canvas",
  } satisfies Partial<CSSStyleDeclaration>);

  const frame = doc.createElement("iframe");
  // The fragment pairs this frame with this content script (see pane-connection.ts).
  frame.src = browser.runtime.getURL(`sidebar.html#${sessionId}`);
  frame.title = "SmartCert";
  Object.assign(frame.style, { border: "0", width: "100%", height: "100%" } satisfies Partial<CSSStyleDeclaration>);
  panel.append(frame);

  const toggle = doc.createElement("button");
  toggle.type = "button";
  toggle.textContent = "SmartCert";
  Object.assign(toggle.style, {
    position: "fixed",
    right: `${WIDTH_PX}px`,
    top: "40%",
    zIndex: "2147483001",
    writingMode: "vertical-rl",
    padding: "8px 4px",
    font: "600 12px system-ui, sans-serif",
    cursor: "pointer",
  } satisfies Partial<CSSStyleDeclaration>);

  let open = true;
  const setOpen = (next: boolean): void => {
    open = next;
    panel.style.display = open ? "block" : "none";
    toggle.style.right = open ? `${WIDTH_PX}px` : "0";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? "Hide SmartCert" : "Show SmartCert");
  };
  toggle.addEventListener("click", () => {
    setOpen(!open);
  });
  setOpen(true);

  shadow.append(panel, toggle);
  doc.documentElement.append(host);
  return { frame, setOpen, isOpen: () => open };
}
