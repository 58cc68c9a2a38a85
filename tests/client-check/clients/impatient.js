// A client with a timeout of its own (outside tester J28): it creates the first vppToken it is given and waits for
// the answer, then the second; with argv[3] 'blind' it gives up on the second after 200 ms and re-sends it once
// without reading back what became of the first (the retry the behaviour checks exist to catch), then exits 0
// either way. With 'waits' it waits for each answer. argv[2]: the bodies as JSON.
const base = `${process.env.VPPKIT_MOCK_URL}/beta/deviceAppManagement/vppTokens`;
const [first, second] = JSON.parse(process.argv[2]);
const blind = process.argv[3] === 'blind';
const headers = { Authorization: 'Bearer impatient', 'Content-Type': 'application/json' };
const { request } = require('node:http');

/**
 * One create through node:http (decision 0711: fetch compiled undici's parser in this process, 0.3 s of CPU); with
 * `timeoutMs`, the request is given up that long after the call, as fetch's AbortSignal.timeout gave it up: rejects.
 */
function create(body, timeoutMs) {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const out = request(base, { method: 'POST', headers: { ...headers, 'Content-Length': bytes.length } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
      response.on('error', reject);
    });
    if (timeoutMs) setTimeout(() => out.destroy(new Error('timed out')), timeoutMs).unref();
    out.on('error', reject);
    out.end(bytes);
  });
}

(async () => {
  await create(first);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await create(second, blind ? 200 : undefined);
      break;
    } catch {
      // Its own timeout: an unknown outcome, re-sent blindly.
    }
  }
})();
