// A client that sends exactly the requests given as JSON in argv[2] to $VPPKIT_MOCK_URL, then exits with
// argv[3] (default 0). Stands in for a client in any language. `lines` sends header lines as given (an array
// value is one line per value, which fetch can't send); `bodyEncoding` sends the body text in another encoding.
const { request } = require('node:http');
const requests = JSON.parse(process.argv[2]);

function send(url, method, lines, bytes) {
  return new Promise((resolve, reject) => {
    const out = request(url, { method, headers: { ...lines, 'Content-Length': bytes ? bytes.length : 0 } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    out.on('error', reject);
    out.end(bytes);
  });
}

(async () => {
  for (const r of requests) {
    const body = r.rawBody ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    const url = `${process.env.VPPKIT_MOCK_URL}${r.path ?? '/deviceAppManagement/vppTokens'}`;
    if (r.lines || r.bodyEncoding) {
      await send(url, r.method ?? 'POST', r.lines ?? r.headers, body === undefined ? undefined : Buffer.from(body, r.bodyEncoding ?? 'utf8'));
      continue;
    }
    const response = await fetch(url, { method: r.method ?? 'POST', headers: r.headers ?? { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' }, body });
    await response.text();
  }
  process.exit(Number(process.argv[3] ?? 0));
})();
