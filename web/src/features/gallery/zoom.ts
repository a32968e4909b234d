/** Zoom and pan maths of the photo viewer: pure functions, tested without a browser. */

export interface View {
  scale: number;
  x: number;
  y: number;
}

export const IDENTITY: View = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 6;

/**
 * Zoom to `scale` keeping the point `at` (relative to the stage's centre) where it is on
 * screen, as a wheel or pinch zoom around the cursor or fingers should.
 */
export function zoomAt(view: View, scale: number, at: { x: number; y: number }): View {
  const next = Math.min(Math.max(scale, 1), MAX_SCALE);
  if (next === 1) return IDENTITY;
  const k = next / view.scale;
  return { scale: next, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k };
}

/** Keep a zoomed image over the stage: it may not be dragged off past its own edges. */
export function clampPan(view: View, stage: { width: number; height: number }): View {
  if (view.scale <= 1) return IDENTITY;
  const limitX = ((view.scale - 1) * stage.width) / 2;
  const limitY = ((view.scale - 1) * stage.height) / 2;
  return {
    scale: view.scale,
    x: Math.min(Math.max(view.x, -limitX), limitX),
    y: Math.min(Math.max(view.y, -limitY), limitY),
  };
}

export type Swipe = 'next' | 'prev' | 'close' | null;

/** What a one-finger gesture at scale 1 meant: sideways to change photo, down to close. */
export function swipeOf(dx: number, dy: number): Swipe {
  if (Math.abs(dx) > 60 && Math.abs(dx) > Math.abs(dy) * 1.5) return dx < 0 ? 'next' : 'prev';
  if (dy > 100 && dy > Math.abs(dx) * 1.5) return 'close';
  return null;
}
