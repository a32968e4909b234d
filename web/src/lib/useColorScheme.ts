import { useEffect, useState } from 'react';

import { isInsideMax, maxTheme } from './max';

export type ColorScheme = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: dark)';

function systemScheme(): ColorScheme {
  const fromMax = maxTheme().colorScheme;
  if (fromMax) return fromMax;
  return typeof window.matchMedia === 'function' && window.matchMedia(QUERY).matches
    ? 'dark'
    : 'light';
}

/**
 * Follows MAX's light/dark scheme when the bridge names one, else the system setting
 * (prefers-color-scheme), and mirrors it into Bootstrap's data-bs-theme on <html>, which
 * Bootstrap 5.3 keys all its colours on. Inside MAX, <html> also gets data-mh-max: the CSS then
 * takes MAX UI's colours, radii and spacing (ADR "maxui-look").
 */
export function useColorScheme(): ColorScheme {
  const [scheme, setScheme] = useState<ColorScheme>(systemScheme);

  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const media = window.matchMedia(QUERY);
    const update = () => setScheme(systemScheme());
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);

  useEffect(() => {
    document.documentElement.setAttribute('data-bs-theme', scheme);
    document.documentElement.toggleAttribute('data-mh-max', isInsideMax());
  }, [scheme]);

  return scheme;
}
