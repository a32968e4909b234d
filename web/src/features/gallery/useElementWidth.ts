import { useLayoutEffect, useState, type RefObject } from 'react';

/** The element's content width, kept current as it resizes (0 until it is measured). */
export function useElementWidth(ref: RefObject<HTMLElement>): number {
  const [width, setWidth] = useState(0);
  // Layout effect: measured before the first paint, so the grid never flashes a wrong layout.
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    setWidth(node.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      // Whole pixels: sub-pixel changes while scrolling must not re-lay the grid out.
      const next = Math.floor(entries[0]?.contentRect.width ?? node.clientWidth);
      setWidth((old) => (old === next ? old : next));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
