import { useEffect } from 'react';

/** Puts the page name in the tab title / history list: "Studio · Mediahub". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Mediahub`;
  }, [title]);
}
