/**
 * A stand-in for the browser's EventSource (jsdom has none): tests open it through the same
 * constructor call the pane makes, then play the server's part — `emit("changed")`, `fail()`.
 */
export class FakeEventSource {
  static readonly instances: FakeEventSource[] = [];
  readonly #listeners = new Map<string, (() => void)[]>();
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  static reset(): void {
    FakeEventSource.instances.length = 0;
  }

  /** The newest source not closed (the one the pane is listening to). */
  static open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((s) => !s.closed);
  }

  addEventListener(type: string, listener: () => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  emit(type: string): void {
    if (this.closed) throw new Error(`emit("${type}") on a closed EventSource`);
    for (const listener of this.#listeners.get(type) ?? []) listener();
  }

  /** What EventSource does when the connection fails (here: the spent ticket's 401). */
  fail(): void {
    this.onerror?.(new Event("error"));
  }

  close(): void {
    this.closed = true;
  }
}
