import { describe, expect, it } from 'vitest';

import { aspect, justify, targetRowHeight } from './justify';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const rowWidth = (widths: number[], gap: number) => sum(widths) + gap * (widths.length - 1);

describe('justify', () => {
  it('fills every full row to the container width and keeps aspect ratios', () => {
    const items = [
      { width: 800, height: 600 },
      { width: 600, height: 800 },
      { width: 1000, height: 500 },
      { width: 500, height: 500 },
      { width: 1600, height: 900 },
      { width: 300, height: 900 },
      { width: 640, height: 480 },
    ];
    const rows = justify(items, { containerWidth: 390, targetHeight: 120, gap: 4 });
    expect(rows.flatMap((r) => r.items.map((b) => b.index))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const row of rows.slice(0, -1)) {
      expect(
        rowWidth(
          row.items.map((b) => b.width),
          4,
        ),
      ).toBeCloseTo(390, 6);
      for (const box of row.items) {
        const { width, height } = items[box.index]!;
        expect(box.width / row.height).toBeCloseTo(width / height, 6);
      }
      // Close to the target: never taller than it (a row closes once it is too wide).
      expect(row.height).toBeLessThanOrEqual(120);
    }
  });

  it('keeps the last, incomplete row at the target height instead of stretching it', () => {
    const rows = justify([{ width: 400, height: 300 }], {
      containerWidth: 1280,
      targetHeight: 220,
      gap: 6,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.height).toBe(220);
    expect(rows[0]!.items[0]!.width).toBeCloseTo(220 * (4 / 3), 6);
  });

  it('treats unknown sizes as square and bounds extreme ratios', () => {
    expect(aspect({ width: null, height: null })).toBe(1);
    expect(aspect({ width: 0, height: 10 })).toBe(1);
    expect(aspect({ width: 100000, height: 1 })).toBe(3);
    expect(aspect({ width: 1, height: 100000 })).toBe(1 / 3);
  });

  it('lets a single very wide photo fill the row without exceeding the width', () => {
    const rows = justify(
      [
        { width: 3000, height: 1000 },
        { width: 100, height: 100 },
      ],
      { containerWidth: 300, targetHeight: 120, gap: 4 },
    );
    expect(rows[0]!.items).toHaveLength(1);
    expect(rows[0]!.items[0]!.width).toBeCloseTo(300, 6);
    expect(rows[0]!.height).toBeCloseTo(100, 6);
  });

  it('caps the height of a row of tall photos on a narrow screen', () => {
    const rows = justify(
      Array.from({ length: 3 }, () => ({ width: 250, height: 1000 })),
      { containerWidth: 40, targetHeight: 120, gap: 4 },
    );
    expect(Math.max(...rows.map((r) => r.height))).toBeLessThanOrEqual(180);
  });

  it('returns nothing before the container is measured', () => {
    expect(
      justify([{ width: 1, height: 1 }], { containerWidth: 0, targetHeight: 1, gap: 0 }),
    ).toEqual([]);
  });

  it('picks smaller rows on phones', () => {
    expect(targetRowHeight(390)).toBeLessThan(targetRowHeight(1280));
  });
});
