// The classic Graph client (@microsoft/microsoft-graph-client 3.x) creating vppTokens, as an application would.
// Over plain http it drops the Authorization header its auth handler would add (it only trusts https hosts),
// so a middleware of our own sets the header, before the client's HTTPMessageHandler sends the request.
// Usage: node classic-client.cjs --lines   (one create per line of stdin, as JSON {url, body, status, auth, version?}:
//        version is the defaultVersion of that create, GRAPH_VERSION's otherwise; one line back per create: its
//        outcome, or `failed: <why>`), so a test file sends all its creates from one process (decision 0712).
// CLIENT_BEARER replaces the access token it sends (a test can then look for it where it must not be).
const { Client, HTTPMessageHandler } = require('@microsoft/microsoft-graph-client');

class BearerMiddleware {
  constructor(withToken) {
    this.withToken = withToken;
  }
  setNext(next) {
    this.next = next;
  }
  async execute(context) {
    if (this.withToken) {
      const headers = (context.options.headers ??= {});
      headers.Authorization = `Bearer ${process.env.CLIENT_BEARER ?? 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.'}`;
    }
    return this.next.execute(context);
  }
}

/** Creates `body` at `url` as an application would; resolves to the outcome line, rejects with why it was unexpected. */
async function create(url, body, expected, withToken, version = process.env.GRAPH_VERSION) {
  const bearer = new BearerMiddleware(withToken);
  bearer.setNext(new HTTPMessageHandler());
  // defaultVersion '' because the mock's URL has no version prefix (the client adds /v1.0 by default; a version of
  // v1.0, the line's or GRAPH_VERSION's, shows what check-client says when a client keeps that default).
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: url, defaultVersion: version ?? '' });
  let created;
  try {
    created = await client.api('/deviceAppManagement/vppTokens').post(body);
  } catch (error) {
    if (error?.statusCode === expected && typeof error?.code === 'string') return `refused with ${expected} ${error.code}`;
    throw new Error(`expected ${expected}, got ${error?.statusCode}: ${error?.message}`);
  }
  if (expected !== 201 || typeof created?.id !== 'string') throw new Error(`expected ${expected}, got a created vppToken ${JSON.stringify(created?.id)}`);
  return `created ${created.id}`;
}

async function lines() {
  for await (const line of require('node:readline').createInterface({ input: process.stdin })) {
    const { url, body, status, auth, version } = JSON.parse(line);
    const outcome = await create(url, body, status, auth, version).catch((error) => `failed: ${error.message}`);
    process.stdout.write(`${outcome}\n`);
  }
}

if (process.argv[2] === '--lines') void lines();
else {
  console.error('usage: node classic-client.cjs --lines');
  process.exit(2);
}
