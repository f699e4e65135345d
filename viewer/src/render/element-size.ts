// An element's content size in CSS px as it changes (window resize, a panel opening beside it),
// from a ResizeObserver. Callers redraw through their FrameScheduler, so a burst of resizes gives
// one draw in the next frame.

export interface CssSize {
  width: number;
  height: number;
}

/** Calls onSize with the element's content box (CSS px) now and on every change; returns a stop function. */
export function observeSize(el: Element, onSize: (size: CssSize) => void): () => void {
  let last: CssSize = { width: -1, height: -1 };
  const observer = new ResizeObserver((entries) => {
    const r = entries[entries.length - 1]!.contentRect;
    if (r.width === last.width && r.height === last.height) return;
    last = { width: r.width, height: r.height };
    onSize(last);
  });
  observer.observe(el);
  return () => observer.disconnect();
}
