import { MaxUI } from '@maxhub/max-ui';
import { lazy, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';

import { Layout } from './components/Layout';
import { I18nProvider } from './i18n/I18nProvider';
import { maxTheme } from './lib/max';
import { ROUTER_FUTURE } from './lib/router';
import { SessionProvider } from './lib/session';
import { useColorScheme } from './lib/useColorScheme';

// Every page is its own chunk: the first load carries only the shell, and later issues can grow
// pages without growing the initial bundle.
const FeedPage = lazy(() => import('./features/gallery/FeedPage'));
const CollectionPage = lazy(() => import('./features/gallery/CollectionPage'));
const UploadPage = lazy(() => import('./features/gallery/UploadPage'));
const ExchangePage = lazy(() => import('./features/exchange/ExchangePage'));
const StudioPage = lazy(() => import('./features/studio/StudioPage'));
const SettingsPage = lazy(() => import('./features/account/SettingsPage'));
const SearchPage = lazy(() => import('./features/gallery/SearchPage'));
const PhotoPage = lazy(() => import('./features/gallery/PhotoPage'));
const TradePage = lazy(() => import('./features/exchange/TradePage'));
const UserPage = lazy(() => import('./features/gallery/UserPage'));
const TranscriptPage = lazy(() => import('./features/studio/TranscriptPage'));
const PeoplePage = lazy(() => import('./features/studio/PeoplePage'));
const NotFoundPage = lazy(() => import('./components/NotFoundPage'));

/** The route table; exported so tests can mount it inside a MemoryRouter. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<FeedPage />} />
        <Route path="collection" element={<CollectionPage />} />
        <Route path="upload" element={<UploadPage />} />
        <Route path="exchange" element={<ExchangePage />} />
        <Route path="exchange/trades/:id" element={<TradePage />} />
        <Route path="studio" element={<StudioPage />} />
        <Route path="studio/people" element={<PeoplePage />} />
        <Route path="studio/:id" element={<TranscriptPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="photos/:id" element={<PhotoPage />} />
        <Route path="users/:id" element={<UserPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** Theme, language and MAX look-and-feel, shared by the app and its tests. */
export function AppProviders({ children }: { children: ReactNode }) {
  const colorScheme = useColorScheme();
  // MAX UI's type scale and fonts differ between iOS and Android; outside MAX its default.
  const { platform } = maxTheme();
  return (
    <MaxUI colorScheme={colorScheme} platform={platform} className="mh-max-root">
      <I18nProvider>
        <SessionProvider>{children}</SessionProvider>
      </I18nProvider>
    </MaxUI>
  );
}

export function App() {
  return (
    <AppProviders>
      <BrowserRouter future={ROUTER_FUTURE}>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  );
}
