// The classic Graph client (@microsoft/microsoft-graph-client 3.x) creating a vppToken at $VPPKIT_MOCK_URL.
// Over plain http it drops the Authorization header its auth handler would add (it only trusts https hosts),
// so a middleware of our own sets the header, before the client's HTTPMessageHandler sends the request.
// Usage: node classic-client.cjs '<vppToken JSON>' [expected status, default 201] [no-auth]
// CLIENT_BEARER replaces the access token it sends (a test can then look for it where it must not be).
const { Client, HTTPMessageHandler } = require('@microsoft/microsoft-graph-client');

const body = JSON.parse(process.argv[2]);
const expected = Number(process.argv[3] ?? 201);
const withToken = process.argv[4] !== 'no-auth';

class BearerMiddleware {
  setNext(next) {
    this.next = next;
  }
  async execute(context) {
    if (withToken) {
      const headers = (context.options.headers ??= {});
      headers.Authorization = `Bearer ${process.env.CLIENT_BEARER ?? 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.'}`;
    }
    return this.next.execute(context);
  }
}

const bearer = new BearerMiddleware();
bearer.setNext(new HTTPMessageHandler());
// defaultVersion '' because VPPKIT_MOCK_URL has no version prefix (the client adds /v1.0 by default;
// GRAPH_VERSION=v1.0 shows what check-client says when a client keeps that default).
const client = Client.initWithMiddleware({ middleware: bearer, baseUrl: process.env.VPPKIT_MOCK_URL, defaultVersion: process.env.GRAPH_VERSION ?? '' });

client
  .api('/deviceAppManagement/vppTokens')
  .post(body)
  .then((created) => {
    if (expected !== 201 || typeof created?.id !== 'string') {
      console.error(`expected ${expected}, got a created vppToken ${JSON.stringify(created?.id)}`);
      process.exit(1);
    }
    console.log(`created ${created.id}`);
  })
  .catch((error) => {
    if (error?.statusCode === expected && typeof error?.code === 'string') {
      console.log(`refused with ${expected} ${error.code}`);
    } else {
      console.error(`expected ${expected}, got ${error?.statusCode}: ${error?.message}`);
      process.exit(1);
    }
  });
