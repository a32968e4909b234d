/** A JSON answer as the API sends it, for fake `fetch` implementations in tests. */
export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
