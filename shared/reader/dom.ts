// The reader's few DOM helpers. Text only ever goes in through textContent: nothing a message,
// a server answer or a URL carries can become markup.

export function $(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`reader page is missing #${id}`);
  return element;
}
export const buttonById = (id: string) => $(id) as HTMLButtonElement;
export const inputById = (id: string) => $(id) as HTMLInputElement;

/** The page's one live status line. */
export function say(text: string, error = false): void {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
