/** Renders UI inside the app's providers (language, live client, session, router) for tests. */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, type MemoryRouterProps } from 'react-router-dom';

import type { Language } from '../i18n/i18n';
import { I18nProvider } from '../i18n/I18nProvider';
import { ROUTER_FUTURE } from '../lib/router';
import { SessionProvider } from '../lib/session';
import { LiveClientContext } from '../lib/useLive';
import { fakeLive } from './fakeLive';

interface Options {
  /** The history; the last entry is the current page. */
  entries?: NonNullable<MemoryRouterProps['initialEntries']>;
  language?: Language;
  live?: ReturnType<typeof fakeLive>;
}

/** Mounts `ui` (a page, or `<AppRoutes />`) as the app would; returns the fake live client. */
export function renderWithProviders(
  ui: ReactElement,
  { entries = ['/'], language = 'en', live = fakeLive() }: Options = {},
) {
  render(
    <I18nProvider language={language}>
      <LiveClientContext.Provider value={live.client}>
        <SessionProvider>
          <MemoryRouter
            initialEntries={entries}
            initialIndex={entries.length - 1}
            future={ROUTER_FUTURE}
          >
            {ui}
          </MemoryRouter>
        </SessionProvider>
      </LiveClientContext.Provider>
    </I18nProvider>,
  );
  return live;
}
