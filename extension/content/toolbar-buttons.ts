import { findAll, findFirst, gmailSelectors } from "./gmail-selectors";

/**
 * Our buttons inside Gmail's own toolbars: "Share cert" on the open message's action bar, and
 * "Insert cert" and "Send securely" next to each compose form's Send button. Idempotent: called after every DOM change,
 * it adds a button only where there is none yet. Buttons carry no data, only the command name.
 */

export type ToolbarCommand = "share-cert" | "insert-cert" | "send-securely";

const MARK = "data-smartcert-button";

export function ensureToolbarButtons(doc: Document, onCommand: (command: ToolbarCommand) => void): void {
  const toolbar = findFirst(doc, gmailSelectors.messageToolbar) ?? findFirst(doc, gmailSelectors.replyButton)?.parentElement ?? null;
  if (toolbar && !toolbar.querySelector(`[${MARK}="share-cert"]`)) {
    toolbar.append(makeButton(doc, "share-cert", "Share cert", onCommand));
  }
  for (const send of findAll(doc, gmailSelectors.composeSendButton)) {
    // The Send button sits in a table cell in Gmail's compose footer; put ours in the same row.
    const anchor = send.closest("td") ?? send;
    const row = anchor.parentElement;
    if (!row || row.querySelector(`[${MARK}="insert-cert"]`)) continue;
    const buttons = [makeButton(doc, "insert-cert", "Insert cert", onCommand), makeButton(doc, "send-securely", "Send securely", onCommand)];
    if (anchor.tagName === "TD") {
      const cell = doc.createElement("td");
      cell.append(...buttons);
      anchor.after(cell);
    } else {
      anchor.after(...buttons);
    }
  }
}

function makeButton(doc: Document, command: ToolbarCommand, label: string, onCommand: (command: ToolbarCommand) => void): HTMLButtonElement {
  const button = doc.createElement("button");
  button.type = "button";
  button.setAttribute(MARK, command);
  button.textContent = label;
  Object.assign(button.style, {
    margin: "0 8px",
    padding: "6px 12px",
    borderRadius: "16px",
    border: "1px solid #747775",
    background: "transparent",
    font: "500 14px system-ui, sans-serif",
    cursor: "pointer",
  } satisfies Partial<CSSStyleDeclaration>);
  button.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    onCommand(command);
  });
  return button;
}
