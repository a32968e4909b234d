import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth, type Photo } from '../../api/client';
import { AppRoutes } from '../../App';
import type { Language } from '../../i18n/i18n';
import { fakeLive } from '../../test/fakeLive';
import { photo } from '../../test/fixtures';
import { json } from '../../test/http';
import { renderWithProviders } from '../../test/render';

/** Someone else's public photos. */
const PUBLIC = { owner_id: 'u2', creator_id: 'u2', is_public: true };

/** An anonymous visitor (no session cookie) and a feed holding `feed`. */
function server(feed: Photo[]) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    if (path === '/api/auth/refresh')
      return json({ detail: 'no session', code: 'unauthorized' }, 401);
    if (path === '/api/photos/feed') return json({ items: feed, next_cursor: null });
    if (path === '/api/ready') return json({ status: 'ok', checks: {} });
    return json({ detail: 'not found', code: 'not_found' }, 404);
  });
}

function renderAt(path: string, language: Language = 'en', live = fakeLive()) {
  return renderWithProviders(<AppRoutes />, { entries: [path], language, live });
}

beforeEach(() => vi.stubGlobal('fetch', server([])));
afterEach(() => {
  auth.clear();
  vi.unstubAllGlobals();
});

describe('feed and sign-in page', () => {
  it('the empty feed says what to do, with a link to upload', async () => {
    renderAt('/');
    await waitFor(() => {
      expect(screen.getByText('No public photos yet.')).toBeInTheDocument();
      expect(screen.getByText(/Upload yours and tick “Publish to the feed”/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Upload a photo' })).toHaveAttribute(
        'href',
        '/upload',
      );
    });
  });

  it('the empty feed in Russian', async () => {
    renderAt('/', 'ru');
    await waitFor(() => {
      expect(screen.getByText('Публичных фотографий пока нет.')).toBeInTheDocument();
      expect(screen.getByText(/отметьте «Опубликовать в ленте»/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Загрузить фотографию' })).toBeInTheDocument();
    });
  });

  it('"Sign in" leads to a page titled Sign in, not Settings', async () => {
    renderAt('/settings');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Settings' })).toBeNull();
    expect(document.title).toBe('Sign in · Mediahub');
  });

  it('a photo made private or deleted leaves an open feed live', async () => {
    vi.stubGlobal('fetch', server([photo('a', PUBLIC), photo('b', PUBLIC)]));
    const live = renderAt('/');
    const grid = await screen.findByRole('list', { name: 'Public photos' });
    await waitFor(() => expect(grid.querySelectorAll('li')).toHaveLength(2));
    await live.push('public', { type: 'photo.unpublished', id: 'a' });
    expect(grid.querySelectorAll('li')).toHaveLength(1);
    expect(grid.querySelector('a[href="/photos/a"]')).toBeNull();
    expect(grid.querySelector('a[href="/photos/b"]')).not.toBeNull();
  });
});
