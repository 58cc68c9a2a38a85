// The classic Graph client (@microsoft/microsoft-graph-client 3.x) creating a vppToken at $VPPKIT_MOCK_URL.
// Over plain http it drops the Authorization header its auth handler would add (it only trusts https hosts),
// so a middleware of our own sets the header, before the client's HTTPMessageHandler sends the request.
// Usage: node classic-client.cjs '<vppToken JSON>' [expected status, default 201] [no-auth]
//    or: node classic-client.cjs --lines   (one request per line of stdin, as JSON {url, body, status, auth}; one
//        line back per request: its outcome, or `failed: <why>`), so a test sends many requests from one process.
//    or: node classic-client.cjs --each '<JSON>' '<JSON>' ...   (creates each at $VPPKIT_MOCK_URL in turn, 201 expected,
//        as an application that creates several tokens; exits 1 at the first that fails)
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
async function create(url, body, expected, withToken) {
  const bearer = new BearerMiddleware(withToken);
  bearer.setNext(new HTTPMessageHandler());
  // defaultVersion '' because the mock's URL has no version prefix (the client adds /v1.0 by default;
  // GRAPH_VERSION=v1.0 shows what check-client says when a client keeps that default).
  const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: url, defaultVersion: process.env.GRAPH_VERSION ?? '' });
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
    const { url, body, status, auth } = JSON.parse(line);
    const outcome = await create(url, body, status, auth).catch((error) => `failed: ${error.message}`);
    process.stdout.write(`${outcome}\n`);
  }
}

async function each(bodies) {
  for (const json of bodies) console.log(await create(process.env.VPPKIT_MOCK_URL, JSON.parse(json), 201, true));
}

if (process.argv[2] === '--lines') void lines();
else if (process.argv[2] === '--each')
  each(process.argv.slice(3)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
else
  create(process.env.VPPKIT_MOCK_URL, JSON.parse(process.argv[2]), Number(process.argv[3] ?? 201), process.argv[4] !== 'no-auth').then(
    (outcome) => console.log(outcome),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
