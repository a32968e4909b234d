import type { MessageKey } from '../../i18n/messages';

/**
 * What to tell the user when the camera does not start. html5-qrcode rejects with strings such
 * as "Error getting userMedia, error = NotFoundError: Requested device not found"; browsers with
 * DOMExceptions. Neither is fit for a screen, so each known cause gets a human message.
 */
export function cameraErrorKey(
  error: unknown,
  secure: boolean = typeof window === 'undefined' || window.isSecureContext,
): MessageKey {
  if (!secure) return 'exchange.cameraInsecure';
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/NotFound|DevicesNotFound|Overconstrained|no camera|not found/i.test(text))
    return 'exchange.cameraNotFound';
  if (/NotAllowed|Permission|SecurityError|denied/i.test(text)) return 'exchange.cameraDenied';
  if (/NotReadable|TrackStart|Could not start|in use/i.test(text)) return 'exchange.cameraBusy';
  if (/secure context|https|getUserMedia is not|mediaDevices|not supported/i.test(text))
    return 'exchange.cameraInsecure';
  return 'exchange.cameraFailed';
}
