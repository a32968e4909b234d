import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AppRoutes, ROUTER_FUTURE } from './App';
import type { Language } from './i18n/i18n';
import { I18nProvider } from './i18n/I18nProvider';
import type { LiveClient, LiveStatus } from './lib/live';
import { SessionProvider } from './lib/session';
import { LiveClientContext } from './lib/useLive';

/** A live client that never touches the network and reports a fixed status. */
function fakeLive(status: LiveStatus): LiveClient {
  return {
    status,
    subscribe: () => () => {},
    onStatus: (listener) => {
      listener(status);
      return () => {};
    },
    connect: () => {},
    reconnectNow: () => {},
    close: () => {},
    setAccessToken: () => {},
  };
}

function renderApp(path: string, { language = 'en' as Language, live = fakeLive('open') } = {}) {
  return render(
    <I18nProvider language={language}>
      <LiveClientContext.Provider value={live}>
        <SessionProvider>
          <MemoryRouter initialEntries={[path]} future={ROUTER_FUTURE}>
            <AppRoutes />
          </MemoryRouter>
        </SessionProvider>
      </LiveClientContext.Provider>
    </I18nProvider>,
  );
}

/** Answers /api/ready with `body`; any other API call (the feed page's) with an empty page. */
function readyResponse(status: number, body: unknown) {
  return vi.fn().mockImplementation(async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/api/ready')) return new Response(JSON.stringify(body), { status });
    return new Response(JSON.stringify({ items: [], next_cursor: null }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
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

  it('shows server health and live state', async () => {
    renderApp('/', { live: fakeLive('closed') });
    expect(await screen.findByText('Server OK')).toBeInTheDocument();
    expect(screen.getByText('Offline')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith('/api/ready', expect.anything());
  });

  it('names the failing checks when the server is degraded', async () => {
    vi.stubGlobal(
      'fetch',
      readyResponse(503, {
        status: 'unavailable',
        checks: { database: { ok: true }, redis: { ok: false }, storage: { ok: false } },
      }),
    );
    renderApp('/');
    expect(await screen.findByText('Degraded: redis, storage')).toBeInTheDocument();
  });
});
