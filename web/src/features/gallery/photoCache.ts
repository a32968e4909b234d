import type { Photo } from '../../api/client';

/**
 * Photos last seen in a grid, so a photo page (and the viewer, which swaps the page for the
 * next photo's) shows the picture at once while it asks the server for the current state.
 */
const seen = new Map<string, Photo>();
const LIMIT = 1000;

export function rememberPhotos(photos: readonly Photo[]): void {
  for (const photo of photos) {
    seen.delete(photo.id);
    seen.set(photo.id, photo);
  }
  while (seen.size > LIMIT) seen.delete(seen.keys().next().value!);
}

export function cachedPhoto(id: string): Photo | null {
  return seen.get(id) ?? null;
}
