import { describe, expect, it } from 'vitest';

import { clampPan, IDENTITY, MAX_SCALE, swipeOf, zoomAt } from './zoom';

describe('viewer zoom', () => {
  it('keeps the point under the cursor in place', () => {
    const at = { x: 100, y: -50 };
    const view = zoomAt(IDENTITY, 2, at);
    // The image point under the cursor before: (at - t) / s; after, it maps to at again.
    const before = { x: (at.x - IDENTITY.x) / 1, y: (at.y - IDENTITY.y) / 1 };
    expect(view.x + before.x * view.scale).toBeCloseTo(at.x, 6);
    expect(view.y + before.y * view.scale).toBeCloseTo(at.y, 6);
  });

  it('never zooms out below the fitted image or past the maximum', () => {
    expect(zoomAt({ scale: 2, x: 30, y: 30 }, 0.5, { x: 0, y: 0 })).toEqual(IDENTITY);
    expect(zoomAt(IDENTITY, 100, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
  });

  it('does not let a zoomed image be dragged off the stage', () => {
    const stage = { width: 400, height: 800 };
    expect(clampPan({ scale: 2, x: 1000, y: -1000 }, stage)).toEqual({ scale: 2, x: 200, y: -400 });
    expect(clampPan({ scale: 1, x: 50, y: 0 }, stage)).toEqual(IDENTITY);
  });

  it('reads swipes: sideways changes photo, down closes, small moves do nothing', () => {
    expect(swipeOf(-120, 10)).toBe('next');
    expect(swipeOf(120, -10)).toBe('prev');
    expect(swipeOf(10, 200)).toBe('close');
    expect(swipeOf(20, 20)).toBeNull();
    expect(swipeOf(-80, 75)).toBeNull(); // diagonal: not clearly either
  });
});
