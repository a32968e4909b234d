import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth, type Photo } from '../../api/client';
import { AppRoutes, ROUTER_FUTURE } from '../../App';
import type { Language } from '../../i18n/i18n';
import { I18nProvider } from '../../i18n/I18nProvider';
import { SessionProvider } from '../../lib/session';
import { LiveClientContext } from '../../lib/useLive';
import { fakeLive } from '../../test/fakeLive';

function photo(id: string): Photo {
  return {
    id,
    owner_id: 'u2',
    creator_id: 'u2',
    camera: null,
    created_at: '2026-01-01T00:00:00Z',
    description: `photo ${id}`,
    height: 10,
    width: 10,
    is_favorite: false,
    is_public: true,
    mime: 'image/jpeg',
    original_filename: `${id}.jpg`,
    placeholder: null,
    size: 100,
    status: 'ready',
    tags: [],
    taken_at: null,
    urls: { original: `/api/files/${id}`, preview: null, thumb: null },
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

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
  render(
    <I18nProvider language={language}>
      <LiveClientContext.Provider value={live.client}>
        <SessionProvider>
          <MemoryRouter initialEntries={[path]} future={ROUTER_FUTURE}>
            <AppRoutes />
          </MemoryRouter>
        </SessionProvider>
      </LiveClientContext.Provider>
    </I18nProvider>,
  );
  return live;
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
    vi.stubGlobal('fetch', server([photo('a'), photo('b')]));
    const live = renderAt('/');
    const grid = await screen.findByRole('list', { name: 'Public photos' });
    await waitFor(() => expect(grid.querySelectorAll('li')).toHaveLength(2));
    await live.push('public', { type: 'photo.unpublished', id: 'a' });
    expect(grid.querySelectorAll('li')).toHaveLength(1);
    expect(grid.querySelector('a[href="/photos/a"]')).toBeNull();
    expect(grid.querySelector('a[href="/photos/b"]')).not.toBeNull();
  });
});
