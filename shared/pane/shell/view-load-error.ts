/** A failed import of a view's code (offline, or a deploy replaced the chunk); Retry loads it again. */
export class ViewLoadError extends Error {
  constructor(cause: unknown) {
    super("A part of the pane could not be loaded.", { cause });
    this.name = "ViewLoadError";
  }
}
