import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { auth } from './api/client';
import { AppRoutes, ROUTER_FUTURE } from './App';
import { I18nProvider } from './i18n/I18nProvider';
import type { LiveClient } from './lib/live';
import { SessionProvider } from './lib/session';
import { LiveClientContext } from './lib/useLive';

const live: LiveClient = {
  status: 'open',
  subscribe: () => () => {},
  onStatus: () => () => {},
  connect: () => {},
  reconnectNow: () => {},
  close: () => {},
  setAccessToken: () => {},
};

const ME = {
  id: 'u1',
  username: 'alice',
  contact_link: null,
  created_at: '2026-01-01T00:00:00Z',
  first_name: null,
  last_name: null,
  has_password: true,
  is_public: false,
  language_code: null,
  max_user_id: null,
  photo_url: null,
};

const PHOTO = {
  id: 'p1',
  owner_id: 'u1',
  creator_id: 'u1',
  camera: null,
  created_at: '2026-01-01T00:00:00Z',
  description: 'my private sunset',
  height: 10,
  width: 10,
  is_favorite: false,
  is_public: false,
  mime: 'image/jpeg',
  original_filename: 'sunset.jpg',
  placeholder: null,
  size: 100,
  status: 'ready',
  tags: [],
  taken_at: null,
  urls: { original: '/api/files/o', preview: null, thumb: null },
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * The real server's rules: the session cookie restores slowly (a round trip), and a private
 * photo is 404 to anyone without the owner's token.
 */
function server() {
  const photoAsks: (string | null)[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const bearer = request.headers.get('Authorization');
    if (url.pathname === '/api/auth/refresh') {
      await new Promise((r) => setTimeout(r, 400));
      return json({ access_token: 'tok', expires_in: 900 });
    }
    if (url.pathname === '/api/auth/me') return json(ME);
    if (url.pathname.startsWith('/api/photos/p1')) {
      photoAsks.push(bearer);
      if (bearer !== 'Bearer tok')
        return json({ detail: 'photo not found', code: 'not_found' }, 404);
      return url.pathname.endsWith('/history') ? json({ items: [] }) : json(PHOTO);
    }
    return json({ items: [], next_cursor: null });
  });
  return { fetchMock, photoAsks };
}

afterEach(() => {
  auth.clear();
  vi.unstubAllGlobals();
});

describe('pages wait for the session restore', () => {
  it('a reload of my private photo asks with my token and shows it', async () => {
    const { fetchMock, photoAsks } = server();
    vi.stubGlobal('fetch', fetchMock);
    render(
      <I18nProvider language="en">
        <LiveClientContext.Provider value={live}>
          <SessionProvider>
            <MemoryRouter initialEntries={['/photos/p1']} future={ROUTER_FUTURE}>
              <AppRoutes />
            </MemoryRouter>
          </SessionProvider>
        </LiveClientContext.Provider>
      </I18nProvider>,
    );
    expect(await screen.findByText('my private sunset', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.queryByText(/not found/i)).not.toBeInTheDocument();
    expect(photoAsks.length).toBeGreaterThan(0);
    expect(photoAsks.every((b) => b === 'Bearer tok')).toBe(true);
  });
});
