import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { auth } from './api/client';
import { AppRoutes } from './App';
import { photo, USER } from './test/fixtures';
import { json } from './test/http';
import { renderWithProviders } from './test/render';

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
    if (url.pathname === '/api/auth/me') return json(USER);
    if (url.pathname.startsWith('/api/photos/p1')) {
      photoAsks.push(bearer);
      if (bearer !== 'Bearer tok')
        return json({ detail: 'photo not found', code: 'not_found' }, 404);
      return url.pathname.endsWith('/history')
        ? json({ items: [] })
        : json(
            photo('p1', {
              description: 'my private sunset',
              original_filename: 'sunset.jpg',
              urls: { original: '/api/files/o', preview: null, thumb: null },
            }),
          );
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
    renderWithProviders(<AppRoutes />, { entries: ['/photos/p1'] });
    expect(await screen.findByText('my private sunset', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.queryByText(/not found/i)).not.toBeInTheDocument();
    expect(photoAsks.length).toBeGreaterThan(0);
    expect(photoAsks.every((b) => b === 'Bearer tok')).toBe(true);
  });
});
