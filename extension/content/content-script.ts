import browser from "webextension-polyfill";
import type { ToSidebar } from "../common/messages";
import { readGmailView, type GmailSnapshot } from "./gmail-reader";
import { findAll, gmailSelectors } from "./gmail-selectors";
import { PaneConnection } from "./pane-connection";
import { mountSidebar } from "./sidebar-frame";
import { ensureToolbarButtons, type ToolbarCommand } from "./toolbar-buttons";

/**
 * Content script on mail.google.com (document_idle, top frame): watches Gmail's view, mounts the
 * sidebar frame, adds the toolbar buttons, and serves the sidebar's Host calls. It never receives
 * tokens or API responses: those stay in the extension's own pages.
 */

const sessionId = crypto.randomUUID();
const composeKeys = new WeakMap<Element, string>();
let focusedCompose: Element | null = null;
let savedRange: Range | null = null;
let snapshot: GmailSnapshot = { view: "list", item: null, miss: null, bodyElement: null, attachmentSources: new Map() };
let lastSent = "";
let lastMiss: string | null = null;

function read(): GmailSnapshot {
  return readGmailView({
    document,
    hash: location.hash,
    focusedCompose,
    composeKey: (body) => {
      let key = composeKeys.get(body);
      if (key === undefined) {
        key = `gmail-compose:${crypto.randomUUID()}`;
        composeKeys.set(body, key);
      }
      return key;
    },
  });
}

const connection = new PaneConnection({ sessionId, snapshot: () => snapshot, savedRange: () => savedRange });
const sidebar = mountSidebar(document, sessionId);

function onCommand(command: ToolbarCommand): void {
  sidebar.setOpen(true);
  connection.send({ type: "command", command });
}

function refresh(): void {
  try {
    snapshot = read();
  } catch (error) {
    // The reader is written not to throw; if Gmail's DOM still surprises it, degrade to "cannot read".
    snapshot = { view: "thread", item: null, miss: `reader error: ${error instanceof Error ? error.name : "unknown"}`, bodyElement: null, attachmentSources: new Map() };
  }
  const message: ToSidebar = { type: "item", item: snapshot.item, miss: snapshot.miss };
  const serialized = JSON.stringify(message);
  if (serialized !== lastSent) {
    lastSent = serialized;
    connection.send(message);
  }
  if (snapshot.miss !== null && snapshot.miss !== lastMiss) {
    // Reported once per distinct miss: the reason names a selector fact, never any email content.
    void browser.runtime.sendMessage({ type: "diagnostics/view-miss", reason: snapshot.miss, view: snapshot.view }).catch(() => undefined);
  }
  lastMiss = snapshot.miss;
  ensureToolbarButtons(document, onCommand);
}

// Gmail is a single-page app: re-read after DOM changes (batched) and navigation.
let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    refresh();
  }, 150);
}
new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
window.addEventListener("hashchange", schedule);

// Remember the compose body and cursor the user worked in last: focus moves into the sidebar when
// they click there, and an insertion should land where they left off.
document.addEventListener("focusin", (event) => {
  const bodies = findAll(document, gmailSelectors.composeBody);
  const body = bodies.find((b) => event.target instanceof Node && b.contains(event.target));
  if (body && body !== focusedCompose) {
    focusedCompose = body;
    schedule();
  }
});
document.addEventListener("selectionchange", () => {
  const selection = document.getSelection();
  const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  if (range && focusedCompose?.contains(range.commonAncestorContainer)) savedRange = range.cloneRange();
});

refresh();
