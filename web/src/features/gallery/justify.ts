/**
 * Justified rows (as Immich and Google Photos lay out photos): each photo keeps its aspect
 * ratio, every full row fills the width exactly, rows are about `targetHeight` tall.
 */

export interface Sized {
  width?: number | null;
  height?: number | null;
}

export interface Box {
  /** Index of the item in the input list. */
  index: number;
  width: number;
}

export interface Row {
  height: number;
  items: Box[];
  /** False for the last row when it does not fill the width. */
  complete: boolean;
}

export interface JustifyOptions {
  containerWidth: number;
  targetHeight: number;
  gap: number;
  /** A row is never taller than this multiple of targetHeight (one narrow photo alone). */
  maxScale?: number;
}

/** Width / height; unknown or broken sizes count as square (a photo still processing). */
export function aspect(item: Sized): number {
  const { width, height } = item;
  if (!width || !height || width <= 0 || height <= 0) return 1;
  // Bounded as the thumbnails are (renditions.py crops them to at most 3:1), so one panorama
  // or a one-pixel-wide strip cannot break a row.
  return Math.min(Math.max(width / height, 1 / 3), 3);
}

function rowOf(indexes: number[], ratios: number[], height: number, complete: boolean): Row {
  const items = indexes.map((index) => ({ index, width: ratios[index]! * height }));
  return { height, items, complete };
}

/**
 * Greedy: add photos to the row until, at the target height, they would be wider than the
 * container; then scale that row to fill the width exactly. The last, incomplete row keeps the
 * target height (left-aligned) instead of being blown up.
 */
export function justify(items: readonly Sized[], options: JustifyOptions): Row[] {
  const { containerWidth, targetHeight, gap, maxScale = 1.5 } = options;
  if (containerWidth <= 0 || items.length === 0) return [];
  const ratios = items.map(aspect);
  const rows: Row[] = [];
  let current: number[] = [];
  let ratioSum = 0;
  for (let index = 0; index < items.length; index++) {
    current.push(index);
    ratioSum += ratios[index]!;
    const gaps = gap * (current.length - 1);
    if (ratioSum * targetHeight + gaps >= containerWidth) {
      const height = Math.min((containerWidth - gaps) / ratioSum, targetHeight * maxScale);
      rows.push(rowOf(current, ratios, height, true));
      current = [];
      ratioSum = 0;
    }
  }
  if (current.length > 0) rows.push(rowOf(current, ratios, targetHeight, false));
  return rows;
}

/** Row height for a container width: smaller rows on phones (about three photos across). */
export function targetRowHeight(containerWidth: number): number {
  if (containerWidth < 480) return 120;
  if (containerWidth < 900) return 170;
  return 220;
}
