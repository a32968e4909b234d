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
