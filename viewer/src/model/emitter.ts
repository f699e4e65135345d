// A typed event that any number of listeners follow: how the plain-TS layers (load/, model/) tell
// whoever shows a recording that more of it can be drawn, or that it could not be read.
// subscribe() returns the function that unsubscribes, so a listener is dropped with what owns it.

export type Listener<T> = (value: T) => void;

export class Emitter<T = void> {
  private readonly listeners = new Set<Listener<T>>();

  /** Calls `listener` on every emit until the returned function is called. */
  subscribe(listener: Listener<T>): () => void {
    const entry: Listener<T> = (value) => listener(value); // its own entry: the same function may subscribe twice
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  /** Calls every listener in the order they subscribed; one added meanwhile waits for the next emit, one removed is not called. */
  emit(value: T): void {
    for (const listener of [...this.listeners]) if (this.listeners.has(listener)) listener(value);
  }

  /** How many listeners follow it (for tests and clean-up checks). */
  get size(): number {
    return this.listeners.size;
  }
}
