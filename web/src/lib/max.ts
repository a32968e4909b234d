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
  /** Not in MAX's documented bridge; Telegram-style clients send it, so it is read if present. */
  colorScheme?: string;
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

/**
 * What a haptic means, not how it feels: `success`/`error`/`warning` end a task (an upload done,
 * a trade accepted, a refusal), `selection` is a tile picked, `light`/`medium` a direct tap (the
 * next photo, a favorite).
 */
export type HapticKind = 'success' | 'error' | 'warning' | 'selection' | 'light' | 'medium';

/** One haptic inside MAX, mapped to the bridge's three generators; a no-op everywhere else. */
export function haptic(kind: HapticKind): void {
  const feedback = isInsideMax() ? webApp()?.HapticFeedback : undefined;
  if (!feedback) return;
  try {
    if (kind === 'selection') feedback.selectionChanged?.();
    else if (kind === 'light' || kind === 'medium') feedback.impactOccurred?.(kind);
    else feedback.notificationOccurred?.(kind);
  } catch {
    // An older bridge without haptics must not break the action that asked for one.
  }
}

export type MaxPlatform = 'ios' | 'android';

/** The look MAX asks for: its light/dark scheme (if the bridge tells) and its platform. */
export interface MaxTheme {
  colorScheme?: 'light' | 'dark';
  platform?: MaxPlatform;
}

/**
 * Reads MAX's look from the bridge; empty outside MAX. MAX documents `platform` ("ios",
 * "android", "desktop", "web"); `colorScheme` is the Telegram-compatible field some MAX
 * versions send, so it is honoured when present and the system setting rules otherwise.
 */
export function maxTheme(): MaxTheme {
  if (!isInsideMax()) return {};
  const app = webApp();
  const scheme = app?.colorScheme;
  const platform = app?.platform?.toLowerCase();
  return {
    colorScheme: scheme === 'light' || scheme === 'dark' ? scheme : undefined,
    platform: platform === 'ios' || platform === 'android' ? platform : undefined,
  };
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
