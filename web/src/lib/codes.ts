/** What a scanned or typed exchange code means. */
export type Code = { kind: 'trade'; token: string } | { kind: 'user'; id: string };

const TOKEN = /^[0-9A-Za-z]{4,16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `trade:<token>`, a bare token, or `user:<uuid>`; anything else is null. */
export function parseCode(raw: string): Code | null {
  const text = raw.trim();
  const [prefix, rest] = text.includes(':')
    ? [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)]
    : ['', text];
  const kind = prefix.toLowerCase();
  if ((kind === 'trade' || kind === '') && TOKEN.test(rest)) return { kind: 'trade', token: rest };
  if (kind === 'user' && UUID.test(rest)) return { kind: 'user', id: rest.toLowerCase() };
  return null;
}

/**
 * A MAX deep link's payload (`https://max.ru/<bot>?startapp=<payload>` arrives as
 * `start_param`): `trade_<token>` or `user_<uuid>`, since a colon is not allowed there.
 */
export function parseStartParam(raw: string | null | undefined): Code | null {
  if (!raw) return null;
  const match = /^(trade|user)[_-](.+)$/i.exec(raw.trim());
  return match ? parseCode(`${match[1]}:${match[2]}`) : null;
}
