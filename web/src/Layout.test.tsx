import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AppRoutes } from './App';
import type { Language } from './i18n/i18n';
import { fakeLive } from './test/fakeLive';
import { json } from './test/http';
import { renderWithProviders } from './test/render';

function renderApp(path: string, { language = 'en' as Language, live = fakeLive('open') } = {}) {
  return renderWithProviders(<AppRoutes />, { entries: [path], language, live });
}

/** Answers /api/ready with `body`; any other API call (the feed page's) with an empty page. */
function readyResponse(status: number, body: unknown) {
  return vi.fn().mockImplementation(async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/api/ready')) return new Response(JSON.stringify(body), { status });
    return json({ items: [], next_cursor: null });
  });
}

beforeEach(() => {
  const ok = { ok: true };
  vi.stubGlobal(
    'fetch',
    readyResponse(200, { status: 'ok', checks: { database: ok, redis: ok, storage: ok } }),
  );
});

describe('Layout', () => {
  it('renders a labelled navigation with a link per section', async () => {
    renderApp('/');
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const expected: [string, string][] = [
      ['Feed', '/'],
      ['Collection', '/collection'],
      ['Upload', '/upload'],
      ['Exchange', '/exchange'],
      ['Studio', '/studio'],
      ['Settings', '/settings'],
    ];
    const links = within(nav).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual(expected);
    for (const [name] of expected) {
      expect(within(nav).getByRole('link', { name })).toBeVisible();
    }
    await screen.findByRole('heading', { level: 1, name: 'Feed' });
  });

  it('marks only the current section with aria-current', async () => {
    renderApp('/studio');
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('link', { name: 'Studio' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(within(nav).getByRole('link', { name: 'Feed' })).not.toHaveAttribute('aria-current');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Transcription studio' }),
    ).toBeInTheDocument();
    // Signed out: the studio asks to sign in instead of showing someone's transcripts.
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('shows the not-found page for unknown paths', async () => {
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the feed' })).toHaveAttribute('href', '/');
  });

  it('speaks Russian when asked', async () => {
    renderApp('/', { language: 'ru' });
    const nav = screen.getByRole('navigation', { name: 'Основная навигация' });
    expect(within(nav).getByRole('link', { name: 'Студия' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'Лента' })).toBeInTheDocument();
  });

  it('shows no connection badges while all is well (issue 19.5)', async () => {
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Feed' });
    await waitFor(() => expect(fetch).toHaveBeenCalledWith('/api/ready', expect.anything()));
    expect(screen.queryByText('Server OK')).not.toBeInTheDocument();
    expect(screen.queryByText('Live')).not.toBeInTheDocument();
    expect(document.querySelector('.mh-connection-banner')).toBeNull();
    expect(document.querySelector('[data-live]')).toHaveAttribute('data-live', 'open');
  });

  it('says so in a banner when the server is degraded', async () => {
    vi.stubGlobal(
      'fetch',
      readyResponse(503, {
        status: 'unavailable',
        checks: { database: { ok: true }, redis: { ok: false }, storage: { ok: false } },
      }),
    );
    renderApp('/');
    expect(
      await screen.findByText('The server has a problem (redis, storage); some actions may fail.'),
    ).toBeInTheDocument();
  });
});
