/**
 * The first page of the public feed, requested while the feed's code chunk is still
 * downloading: on a slow link that saves a round trip before the first thumbnail.
 * Only for anonymous loads of "/" (inside MAX the sign-in comes first, and a signed-in
 * viewer's feed carries per-user fields such as is_favorite).
 */
import { api, unwrap, type PhotoPage } from '../../api/client';
import { getInitData } from '../../lib/max';

export const FEED_PAGE_SIZE = 30;

let pending: Promise<PhotoPage> | null = null;

export function prefetchFeed(pathname: string): void {
  if (pathname !== '/' || getInitData()) return;
  pending = api
    .GET('/api/photos/feed', { params: { query: { limit: FEED_PAGE_SIZE } } })
    .then(unwrap);
  pending.catch(() => {}); // the page asks again if this failed
}

/** The prefetched first page, once (null if none was started or it was already taken). */
export function takePrefetchedFeed(): Promise<PhotoPage> | null {
  const taken = pending;
  pending = null;
  return taken;
}
