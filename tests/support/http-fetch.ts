// A `fetch` for the tests' clients run as processes (`node -e`), through node:http (decisions 0226, 0551, 0711):
// undici's fetch compiles its WebAssembly HTTP parser in every new process, 0.3 s of CPU a client here against
// 0.12-0.15 s for the whole process through node:http. It takes what those clients give fetch: a method, headers, a
// string body (sent with its Content-Length), an AbortSignal; it resolves once the answer is read whole, to its
// status, `headers.get`, `text()` and `json()`. fetch's own default headers (accept, user-agent, accept-encoding, ...)
// are not sent: no check is about them (0226). A client in a test's own process uses fetch itself.
const HTTP_FETCH = `const fetch = (url, init = {}) => new Promise((resolve, reject) => {
  const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
  const headers = { ...init.headers, ...(body === undefined ? {} : { 'Content-Length': body.length }) };
  const out = require('node:http').request(url, { method: init.method ?? 'GET', headers }, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: res.statusCode, headers: { get: (name) => res.headers[name.toLowerCase()] ?? null }, text: async () => text, json: async () => JSON.parse(text) });
    });
  });
  init.signal?.addEventListener('abort', () => out.destroy(init.signal.reason));
  out.on('error', reject);
  out.end(body);
});
`;

/** `code` (a client for `node -e`) with `fetch` sent through node:http. */
export const withHttpFetch = (code: string): string => `${HTTP_FETCH}${code}`;
