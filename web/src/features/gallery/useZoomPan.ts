import { useCallback, useEffect, useRef, useState, type PointerEvent, type RefObject } from 'react';

import { clampPan, IDENTITY, swipeOf, type Swipe, type View, zoomAt } from './zoom';

interface Point {
  x: number;
  y: number;
}

/**
 * Wheel and pinch zoom, drag to pan, double-click or double-tap to zoom, and swipes (at scale
 * 1) for the viewer's stage. Returns the view, a drag offset for swipe feedback, the pointer
 * handlers and zoom buttons' actions. `onSwipe` hears 'next', 'prev' and 'close'.
 */
export function useZoomPan(stage: RefObject<HTMLElement>, onSwipe: (swipe: Swipe) => void) {
  const [view, setView] = useState<View>(IDENTITY);
  const [drag, setDrag] = useState<Point>({ x: 0, y: 0 });
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<{ start: Point; view: View; distance: number; mid: Point } | null>(null);
  const lastTap = useRef(0);

  /** A client point relative to the stage's centre. */
  const local = useCallback(
    (p: Point): Point => {
      const box = stage.current?.getBoundingClientRect();
      if (!box) return p;
      return { x: p.x - box.left - box.width / 2, y: p.y - box.top - box.height / 2 };
    },
    [stage],
  );
  const settle = useCallback(
    (next: View) => {
      const box = stage.current?.getBoundingClientRect();
      return box ? clampPan(next, box) : next;
    },
    [stage],
  );
  const zoomBy = useCallback(
    (factor: number, at: Point = { x: 0, y: 0 }) =>
      setView((v) => settle(zoomAt(v, v.scale * factor, at))),
    [settle],
  );

  // Wheel zoom needs a non-passive listener to stop the page from scrolling.
  useEffect(() => {
    const node = stage.current;
    if (!node) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      zoomBy(Math.exp(-event.deltaY * 0.002), local({ x: event.clientX, y: event.clientY }));
    };
    node.addEventListener('wheel', onWheel, { passive: false });
    return () => node.removeEventListener('wheel', onWheel);
  }, [stage, zoomBy, local]);

  function begin(current: View) {
    const points = [...pointers.current.values()];
    const [a, b] = points;
    const mid = b ? { x: (a!.x + b.x) / 2, y: (a!.y + b.y) / 2 } : a!;
    const distance = b ? Math.hypot(a!.x - b.x, a!.y - b.y) : 0;
    gesture.current = { start: a!, view: current, distance, mid };
  }

  function onPointerDown(event: PointerEvent) {
    (event.target as Element).setPointerCapture?.(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    begin(view);
    if (pointers.current.size === 1 && event.timeStamp - lastTap.current < 300) {
      const at = local({ x: event.clientX, y: event.clientY });
      setView((v) => settle(v.scale > 1 ? IDENTITY : zoomAt(v, 2.5, at)));
      lastTap.current = 0;
      gesture.current = null;
      return;
    }
    lastTap.current = event.timeStamp;
  }

  function onPointerMove(event: PointerEvent) {
    if (!pointers.current.has(event.pointerId) || !gesture.current) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const g = gesture.current;
    const points = [...pointers.current.values()];
    if (points.length >= 2 && g.distance > 0) {
      const distance = Math.hypot(points[0]!.x - points[1]!.x, points[0]!.y - points[1]!.y);
      setView(settle(zoomAt(g.view, (g.view.scale * distance) / g.distance, local(g.mid))));
      return;
    }
    const dx = event.clientX - g.start.x;
    const dy = event.clientY - g.start.y;
    if (g.view.scale > 1) setView(settle({ ...g.view, x: g.view.x + dx, y: g.view.y + dy }));
    else setDrag({ x: dx, y: Math.max(0, dy) });
  }

  function onPointerUp(event: PointerEvent) {
    const g = gesture.current;
    pointers.current.delete(event.pointerId);
    if (g && pointers.current.size === 0 && g.view.scale === 1 && view.scale === 1) {
      const swipe = swipeOf(event.clientX - g.start.x, event.clientY - g.start.y);
      if (swipe) onSwipe(swipe);
    }
    setDrag({ x: 0, y: 0 });
    if (pointers.current.size > 0) begin(view);
    else gesture.current = null;
  }

  const reset = useCallback(() => setView(IDENTITY), []);
  return {
    view,
    drag,
    reset,
    zoomIn: () => zoomBy(1.5),
    zoomOut: () => zoomBy(1 / 1.5),
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
  };
}
