/**
 * Detection of the MAX messenger mini-app bridge.
 *
 * MAX's bridge script (added to index.html by the deployment, see README) defines
 * `window.WebApp`. Only the fields the app reads are typed here; everything is optional because
 * the same bundle also runs in ordinary browsers, where `window.WebApp` is absent, and in MAX
 * versions that may omit fields.
 */

export interface MaxUser {
  id?: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  photo_url?: string;
}

export interface MaxInitDataUnsafe {
  query_id?: string;
  auth_date?: number;
  hash?: string;
  user?: MaxUser;
  start_param?: string;
}

export interface MaxWebApp {
  /** URL-encoded launch parameters, signed by MAX; the backend validates this string. */
  initData?: string;
  /** The same data parsed; never trust it for authorization. */
  initDataUnsafe?: MaxInitDataUnsafe;
  platform?: string;
  version?: string;
  ready?: () => void;
  close?: () => void;
  /** The messenger's own back button in its header. */
  BackButton?: {
    show?: () => void;
    hide?: () => void;
    onClick?: (callback: () => void) => void;
    offClick?: (callback: () => void) => void;
  };
  HapticFeedback?: {
    notificationOccurred?: (type: 'success' | 'error' | 'warning') => void;
    impactOccurred?: (style: 'soft' | 'light' | 'medium' | 'heavy' | 'rigid') => void;
    selectionChanged?: () => void;
  };
  /** Saves a file through the messenger (a mini-app's web view may not download by itself). */
  downloadFile?: (url: string, fileName: string) => unknown;
  /** Opens MAX's QR scanner; resolves with the scanned text (shape varies by version). */
  openCodeReader?: (fileSelect?: boolean) => Promise<unknown> | unknown;
}

declare global {
  interface Window {
    WebApp?: MaxWebApp;
  }
}

function webApp(): MaxWebApp | undefined {
  return typeof window === 'undefined' ? undefined : window.WebApp;
}

/**
 * True when running as a MAX mini-app. The bridge object alone is not enough: once the script is
 * in index.html it may define the object in a normal browser too, just with no launch data.
 */
export function isInsideMax(): boolean {
  const initData = webApp()?.initData;
  return typeof initData === 'string' && initData.length > 0;
}

/** The signed launch string to send to the backend, or null outside MAX. */
export function getInitData(): string | null {
  return isInsideMax() ? (webApp()?.initData ?? null) : null;
}

/** The MAX user's interface language (e.g. "ru"), if MAX told us. */
export function getMaxLanguage(): string | undefined {
  const code = webApp()?.initDataUnsafe?.user?.language_code;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

/** Tells MAX the app has rendered so it can drop its loading placeholder; a no-op elsewhere. */
export function notifyMaxReady(): void {
  if (!isInsideMax()) return;
  try {
    webApp()?.ready?.();
  } catch {
    // An older bridge without ready() must not stop the app from starting.
  }
}

/** Scans a QR code with MAX's own reader; null outside MAX or when the user closed it. */
export async function scanWithMax(): Promise<string | null> {
  const reader = isInsideMax() ? webApp()?.openCodeReader : undefined;
  if (!reader) return null;
  const result: unknown = await reader.call(webApp());
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && result !== null && 'value' in result) {
    const value = (result as { value: unknown }).value;
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** Whether MAX's QR reader is available (inside MAX, with a bridge that has it). */
export function canScanWithMax(): boolean {
  return isInsideMax() && typeof webApp()?.openCodeReader === 'function';
}

/** A short vibration inside MAX (e.g. a successful claim); nothing elsewhere. */
export function haptic(type: 'success' | 'error' | 'warning'): void {
  if (!isInsideMax()) return;
  try {
    webApp()?.HapticFeedback?.notificationOccurred?.(type);
  } catch {
    // An older bridge without haptics.
  }
}

/** A light tick inside MAX when the user changes a selection (a tile picked); nothing elsewhere. */
export function hapticSelection(): void {
  if (!isInsideMax()) return;
  try {
    webApp()?.HapticFeedback?.selectionChanged?.();
  } catch {
    // An older bridge without haptics.
  }
}

/** A short tap inside MAX for a direct action (a like, a swipe to the next photo). */
export function hapticImpact(style: 'light' | 'medium' = 'light'): void {
  if (!isInsideMax()) return;
  try {
    webApp()?.HapticFeedback?.impactOccurred?.(style);
  } catch {
    // An older bridge without haptics.
  }
}

/**
 * Shows MAX's header back button while `visible`, calling `onBack` when pressed; returns the
 * cleanup that hides it again. Outside MAX it does nothing.
 */
export function showMaxBackButton(visible: boolean, onBack: () => void): () => void {
  const button = isInsideMax() ? webApp()?.BackButton : undefined;
  if (!button) return () => {};
  if (!visible) {
    button.hide?.();
    return () => {};
  }
  button.onClick?.(onBack);
  button.show?.();
  return () => {
    button.offClick?.(onBack);
    button.hide?.();
  };
}

/** The deep-link payload MAX launched us with (`startapp=`), if any. */
export function getStartParam(): string | undefined {
  const value = isInsideMax() ? webApp()?.initDataUnsafe?.start_param : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Downloads `url` as `fileName` through MAX's own downloader; false outside MAX or with a
 * bridge that has none (then the page's ordinary download link does the job).
 */
export function downloadWithMax(url: string, fileName: string): boolean {
  const download = isInsideMax() ? webApp()?.downloadFile : undefined;
  if (typeof download !== 'function') return false;
  try {
    download.call(webApp(), url, fileName);
    return true;
  } catch {
    return false;
  }
}
