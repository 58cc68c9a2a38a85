// A client that sends exactly the requests given as JSON in argv[2] to $VPPKIT_MOCK_URL, then exits with
// argv[3] (default 0). Stands in for a client in any language. `lines` sends header lines as given (an array
// value is one line per value, which fetch can't send); `bodyEncoding` sends the body text in another encoding.
// `{id}` in a path is the id of the vppToken the client created last (read back from the 201 body); `say` is
// printed on stdout, as a client's own output. `headLines` writes the head by hand over a socket (what Node's
// client never sends: a folded line, two Content-Length lines), Host (unless a line says "no Host") and the
// body's Content-Length added; with it, `target` is the request-target written as given (`{mock}` is
// $VPPKIT_MOCK_URL, `{id}` as above), such as the absolute-form a client behind an HTTP proxy sends; `lf` ends
// its lines in a bare LF; `hangUpAfter` sends only that many bytes of the body, then closes the connection (a client
// that crashes or gives up mid-request); `bodyAfterAnswer` writes the head alone and the body only once an answer came
// (the mock has then read the head by itself, as when head and body cross the network in two packets); `version` is the
// request line's HTTP version (default 1.1), and `chunked` frames the body by Transfer-Encoding: chunked, not Content-Length.
// The tests that judge what check-client says of the requests run `sendAll` in their own process (tests/support/
// in-process-client.ts), with an agent of its own as this process's global agent; the tests of the process run this file.
const { request, globalAgent } = require('node:http');
const { connect } = require('node:net');

function send(agent, url, method, lines, bytes) {
  return new Promise((resolve, reject) => {
    const out = request(url, { method, agent, headers: { ...lines, 'Content-Length': bytes ? bytes.length : 0 } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    out.on('error', reject);
    out.end(bytes);
  });
}

/**
 * A request as `fetch` sends it (the Fetch standard's defaults that matter here: a string body without a
 * Content-Type is `text/plain;charset=UTF-8`, a POST or PUT without a body has `Content-Length: 0`), through
 * node:http: fetch (undici) compiles its WebAssembly HTTP parser in every new process, about 0.12 s of CPU per
 * client, and this file starts some hundred clients a run (decision 0226). Resolves with the answer's status and text.
 */
function fetchLike(agent, url, method, headers, body) {
  const lines = { ...headers };
  const named = (name) => Object.keys(lines).some((k) => k.toLowerCase() === name);
  if (typeof body === 'string' && !named('content-type')) lines['Content-Type'] = 'text/plain;charset=UTF-8';
  const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (bytes !== undefined || method === 'POST' || method === 'PUT') lines['Content-Length'] = bytes ? bytes.length : 0;
  return new Promise((resolve, reject) => {
    const out = request(url, { method, agent, headers: lines }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(bytes);
  });
}

function sendRaw(url, method, headLines, bytes, requestTarget, lf, hangUpAfter, bodyAfterAnswer, version = '1.1', chunked = false) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const socket = connect(Number(target.port), target.hostname, () => {
      const host = headLines.includes('no Host') ? [] : [`Host: ${target.host}`];
      const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes.length}`;
      const head = [`${method} ${requestTarget ?? `${target.pathname}${target.search}`} HTTP/${version}`, ...host, ...headLines.filter((l) => l !== 'no Host'), framing, 'Connection: close'];
      if (chunked) bytes = Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
      const eol = lf ? '\n' : '\r\n';
      const headBytes = Buffer.from(`${head.join(eol)}${eol}${eol}`, 'latin1');
      if (bodyAfterAnswer) {
        socket.write(headBytes);
        return socket.once('data', () => socket.end(bytes));
      }
      if (hangUpAfter === undefined) return socket.end(Buffer.concat([headBytes, bytes]));
      // Written, then cut once the mock has had time to read it: the rest of the body never comes.
      socket.write(Buffer.concat([headBytes, bytes.subarray(0, hangUpAfter)]), () => setTimeout(() => socket.destroy(), 200));
    });
    const answer = [];
    socket.on('data', (chunk) => answer.push(chunk));
    // Resolves with the created vppToken's id when the answer was a 201 (Content-Length framed, as the mock writes).
    socket.on('close', () => {
      const text = Buffer.concat(answer).toString('utf8');
      resolve(/^HTTP\/1\.1 201 /.test(text) ? JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).id : undefined);
    });
    // The body written after an answer that closed the connection may meet a reset: the answer already came.
    socket.on('error', (error) => (bodyAfterAnswer && answer.length > 0 ? undefined : reject(error)));
  });
}

/**
 * Sends `requests` to the mock at `mockUrl`, one after another, through `agent` (HTTP keep-alive as Node's global
 * agent); `say` prints a request's `say`.
 */
async function sendAll(requests, mockUrl, { agent = globalAgent, say = (text) => console.log(text) } = {}) {
  let id = 'none-created';
  for (const r of requests) {
    if (r.say) {
      say(r.say);
      continue;
    }
    // `bigBody`: a valid create of exactly that many bytes (too big for an argument), its displayName filled;
    // `manyIds`: a valid create with that many roleScopeTagIds ("0", "1", ...).
    // Its token an Apple sToken, as Intune takes (decision 0216).
    const sToken = Buffer.from(JSON.stringify({ token: 'big-body-token', expDate: '2041-06-01T00:00:00+0000', orgName: 'Contoso' })).toString('base64');
    const head = `{"token":"${sToken}","displayName":"`;
    const big =
      (r.bigBody && `${head}${'x'.repeat(r.bigBody - head.length - 2)}"}`) ||
      (r.manyIds && JSON.stringify({ token: sToken, roleScopeTagIds: Array.from({ length: r.manyIds }, (_, i) => String(i)) }));
    const body = big ?? r.rawBody ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    const url = `${mockUrl}${(r.path ?? '/deviceAppManagement/vppTokens').replace('{id}', id)}`;
    if (r.headLines) {
      const requestTarget = r.target?.replace('{mock}', mockUrl).replace('{id}', id);
      id = (await sendRaw(url, r.method ?? 'POST', r.headLines, Buffer.from(body ?? ''), requestTarget, r.lf, r.hangUpAfter, r.bodyAfterAnswer, r.version, r.chunked)) ?? id;
      continue;
    }
    if (r.lines || r.bodyEncoding) {
      await send(agent, url, r.method ?? 'POST', r.lines ?? r.headers, body === undefined ? undefined : Buffer.from(body, r.bodyEncoding ?? 'utf8'));
      continue;
    }
    const response = await fetchLike(agent, url, r.method ?? 'POST', r.headers ?? { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' }, body);
    if (response.status === 201) id = JSON.parse(response.text).id;
  }
}

module.exports = { sendAll };

if (require.main === module) sendAll(JSON.parse(process.argv[2]), process.env.VPPKIT_MOCK_URL).then(() => process.exit(Number(process.argv[3] ?? 0)));
