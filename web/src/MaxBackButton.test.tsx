import { act, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { AppRoutes } from './App';
import { fakeLive } from './test/fakeLive';
import { json } from './test/http';
import { renderWithProviders } from './test/render';

/** MAX's bridge as the page sees it: a back button whose handlers the test can press. */
function installBridge() {
  const handlers = new Set<() => void>();
  const button = {
    visible: false,
    show: vi.fn(() => void (button.visible = true)),
    hide: vi.fn(() => void (button.visible = false)),
    onClick: vi.fn((cb: () => void) => void handlers.add(cb)),
    offClick: vi.fn((cb: () => void) => void handlers.delete(cb)),
    press: () => [...handlers].forEach((cb) => cb()),
  };
  window.WebApp = { initData: 'signed-launch-data', BackButton: button };
  return button;
}

beforeEach(() => {
  // Sign-in and page data: the login is refused, lists are empty; enough for navigation.
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request | string) => {
      const url = typeof input === 'string' ? input : input.url;
      if (url.includes('/api/auth/login')) {
        return json({ detail: 'no', code: 'unauthorized' }, 401);
      }
      return json({ items: [], next_cursor: null, status: 'ok', checks: {} });
    }),
  );
});

function renderAt(entries: string[]) {
  return renderWithProviders(<AppRoutes />, { entries, live: fakeLive('closed') });
}

describe('MAX back button', () => {
  it('is shown on inner pages and goes back when pressed', async () => {
    const button = installBridge();
    renderAt(['/search', '/photos/00000000-0000-4000-8000-000000000001']);
    expect(button.visible).toBe(true);
    act(() => button.press());
    expect(await screen.findByRole('heading', { level: 1, name: 'Search' })).toBeInTheDocument();
    expect(button.visible).toBe(true); // /search is an inner page too
  });

  it('is hidden on the sections of the navigation', () => {
    const button = installBridge();
    renderAt(['/collection']);
    expect(button.visible).toBe(false);
    expect(button.show).not.toHaveBeenCalled();
  });
});
