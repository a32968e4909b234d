import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { auth, type Trade, type Transfer } from '../../api/client';
import { AppRoutes } from '../../App';
import type { Language } from '../../i18n/i18n';
import { exchangePhoto, trade, transfer, USER } from '../../test/fixtures';
import { json } from '../../test/http';
import { fakeLive } from '../../test/fakeLive';
import { renderWithProviders } from '../../test/render';
import TradePage from './TradePage';

/** The exchange API with one incoming transfer and `trades`; records nothing else. */
function server({ incoming = [] as Transfer[], trades = [] as Trade[] } = {}) {
  return vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    if (url.pathname === '/api/auth/me') return json(USER);
    if (url.pathname === '/api/ready') return json({ status: 'ok', checks: {} });
    if (url.pathname === '/api/transfers')
      return json({ items: url.searchParams.get('role') === 'incoming' ? incoming : [] });
    if (url.pathname === '/api/profile-requests') return json({ items: [] });
    if (url.pathname === '/api/trades') return json({ items: trades });
    return json({ detail: 'not found', code: 'not_found' }, 404);
  });
}

function renderAt(path: string, language: Language = 'en') {
  return renderWithProviders(<AppRoutes />, { entries: [path], language });
}

beforeEach(() => auth.setTokens({ access_token: 'a', refresh_token: 'r', expires_in: 900 }));
afterEach(() => {
  auth.clear();
  vi.unstubAllGlobals();
});

describe('exchange page (issue 19.3)', () => {
  it('an incoming transfer shows the photo’s thumbnail and title and who offers it', async () => {
    const offered = transfer('t1', { photo: exchangePhoto('p1', 'Закат над Волгой') });
    vi.stubGlobal('fetch', server({ incoming: [offered] }));
    renderAt('/exchange', 'ru');
    const list = (await screen.findByRole('heading', { name: 'Передачи мне' }))
      .nextElementSibling as HTMLElement;
    const row = within(list).getByRole('listitem');
    expect(within(row).getByRole('img', { name: 'Закат над Волгой' })).toHaveAttribute(
      'src',
      expect.stringContaining('/api/files/p1-thumb'),
    );
    expect(row).toHaveTextContent('Закат над Волгой');
    expect(within(row).getByRole('link', { name: 'Bob' })).toHaveAttribute('href', '/users/u2');
    expect(row).toHaveTextContent('От: Bob');
    // Bob's private photo is not ours to open yet: no link to a page that would be a 404.
    expect(within(row).queryByRole('link', { name: 'Закат над Волгой' })).toBeNull();
  });

  it('my trades show small thumbnails of their photos', async () => {
    const mine = trade('tr1', [exchangePhoto('a'), exchangePhoto('b')]);
    vi.stubGlobal('fetch', server({ trades: [mine] }));
    renderAt('/exchange');
    const link = await screen.findByRole('link', { name: '2 photos' });
    const row = link.closest('li')!;
    expect(row.querySelectorAll('img')).toHaveLength(2);
  });
});

describe('trade page (issue 19.3)', () => {
  it('shows which photos are in the trade, by title, linked while they are mine', async () => {
    const open = trade('tr1', [exchangePhoto('a', 'Кот'), exchangePhoto('b', null)]);
    vi.stubGlobal('fetch', server({ trades: [open] }));
    renderAt('/exchange/trades/tr1', 'ru');
    const photos = await screen.findByRole('list', { name: 'Фотографии в этом обмене' });
    const items = within(photos).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['Кот', 'Фотография']);
    expect(within(items[0]!).getByRole('link')).toHaveAttribute('href', '/photos/a');
    expect(within(items[0]!).getByRole('img', { name: 'Кот' })).toBeInTheDocument();
  });

  it('a claimed trade names who claimed it and still lists what changed hands', async () => {
    const claimed = trade('tr1', [exchangePhoto('a', 'Кот')], {
      status: 'claimed',
      claimed_by: 'u2',
      claimed_by_name: 'Борис',
    });
    vi.stubGlobal('fetch', server({ trades: [claimed] }));
    renderAt('/exchange/trades/tr1', 'ru');
    const status = await screen.findByText(/Получен/);
    expect(status).toHaveTextContent('Получен — Получатель: Борис');
    const photos = screen.getByRole('list', { name: 'Фотографии в этом обмене' });
    expect(photos).toHaveTextContent('Кот');
    // No longer mine: the photo page would be a 404, so no link.
    expect(within(photos).queryByRole('link')).toBeNull();
  });
});

describe('trade page inside MAX', () => {
  it(
    'buzzes on the owner’s phone the moment someone accepts the trade',
    { timeout: 15_000 },
    async () => {
      const notify = vi.fn();
      window.WebApp = {
        initData: 'signed-launch-data',
        HapticFeedback: { notificationOccurred: notify },
      };
      const open = trade('tr1', [exchangePhoto('a', 'Кот')]);
      const claimed = {
        ...open,
        status: 'claimed' as const,
        claimed_by: 'u2',
        claimed_by_name: 'Борис',
      };
      let trades = [open];
      const api = server({ trades: [] });
      vi.stubGlobal(
        'fetch',
        vi.fn(async (input: Request) => {
          const path = new URL(input.url).pathname;
          if (path === '/api/auth/login')
            return json({ access_token: 'a', refresh_token: 'r', expires_in: 900 });
          if (path === '/api/trades') return json({ items: trades });
          return api(input);
        }),
      );
      const live = fakeLive();
      // The page alone: the fake live client keeps one handler per channel, and the shell's
      // toasts would take the owner's channel from the page.
      renderWithProviders(
        <Routes>
          <Route path="/exchange/trades/:id" element={<TradePage />} />
        </Routes>,
        { entries: ['/exchange/trades/tr1'], live },
      );
      await screen.findByRole('list', { name: 'Photos in this trade' });
      expect(notify).not.toHaveBeenCalled();
      trades = [claimed];
      live.push('user:u1', { type: 'trade.claimed', trade_id: 'tr1' });
      expect(await screen.findByRole('link', { name: 'Борис' })).toHaveAttribute(
        'href',
        '/users/u2',
      );
      expect(notify.mock.calls).toEqual([['success']]);
    },
  );
});
