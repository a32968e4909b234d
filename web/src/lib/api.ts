/** Calls to the backend's health endpoints (all routes live under /api on the same origin). */

export type Readiness =
  | { kind: 'ok' }
  /** The backend answered but some dependency check failed; `failing` names those checks. */
  | { kind: 'degraded'; failing: string[] }
  /** No answer from our backend at all (network error, or a proxy's error page). */
  | { kind: 'unreachable' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads GET /api/ready's answer: 200/503 with
 * {"status": "ok" | "unavailable", "checks": {"database": {"ok": true, …}, …}}.
 */
export function interpretReadiness(httpStatus: number, body: unknown): Readiness {
  if (!isRecord(body) || !isRecord(body.checks)) return { kind: 'unreachable' };
  const failing = Object.entries(body.checks)
    .filter(([, check]) => !(isRecord(check) && check.ok === true))
    .map(([name]) => name)
    .sort();
  if (httpStatus === 200 && body.status === 'ok' && failing.length === 0) return { kind: 'ok' };
  return { kind: 'degraded', failing };
}

/** A check that takes longer than this counts as "unreachable": a hung server is not healthy. */
const READY_TIMEOUT_MS = 10_000;

/** Asks the server; rejects only when `signal` aborts (the caller lost interest). */
export async function fetchReadiness(
  signal?: AbortSignal,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<Readiness> {
  // Own controller so the timeout can abort the request too (AbortSignal.any is too new for
  // some mobile webviews).
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort);
  const timer = setTimeout(abort, timeoutMs);
  try {
    const response = await fetch('/api/ready', {
      signal: controller.signal,
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // A reverse proxy answers 502/504 with HTML; interpretReadiness treats that as unreachable.
    }
    return interpretReadiness(response.status, body);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'unreachable' }; // network error or timeout
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}
