import '@testing-library/jest-dom/vitest';

import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Lazy page chunks load through Vite's transform; on a busy 2-core CI box that can exceed the
// default 1 s wait of findBy*/waitFor.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  delete window.WebApp;
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

// jsdom has no matchMedia; the colour-scheme hook and MAX UI both read it.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
