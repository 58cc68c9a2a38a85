// Stoplight Prism's own HTTP server, the one `prism mock` and `prism proxy` start (prism-cli's
// createPrismServerWithLogger, with the CLI's defaults), run in this process: four Prism processes cost about
// 8 s of CPU and 10 to 20 s of wall time to start under load, for a few dozen requests. The modules are the ones
// the installed @stoplight/prism-cli uses. Left out: the CLI's log printer, and its json-schema-faker options,
// which only dynamic mocking reads (these servers answer from the document's examples).
import { dirname, join } from 'node:path';

const cli = { paths: [dirname(require.resolve('@stoplight/prism-cli/package.json'))] };
// Prism's schema generator requires faker 6, whose main module loads all of its 57 locales (about 1 s of CPU in
// jest's module registry) for Prism's dynamic mocking, which these servers never do (`dynamic: false` below).
// Prism gets the same faker with its English locale alone, the one it would use: its own copy, not the kit's.
const prismFaker = require.resolve('@faker-js/faker', { paths: [dirname(require.resolve('@stoplight/prism-http', cli))] });
jest.doMock(prismFaker, () => {
  const faker = jest.requireActual<object>(join(prismFaker, '../../../locale/en'));
  return { __esModule: true, default: faker, faker };
});
// Prism's OpenAPI reader (@stoplight/http-spec) requires postman-collection when it loads (about 280 modules: lodash's
// files, a liquid and a mime reader), for Postman collections, which these servers are never given. It gets a module
// that says so if anything ever reaches into it, rather than failing for another reason.
const postman = require.resolve('postman-collection', { paths: [dirname(require.resolve('@stoplight/http-spec', { paths: [dirname(require.resolve('@stoplight/prism-http', cli))] }))] });
jest.doMock(postman, () => new Proxy({}, {
  get: (_, name) => {
    if (typeof name !== 'string' || name === '__esModule' || name === 'then') return undefined;
    throw new Error(`tests/support/prism.ts leaves postman-collection out (Prism reads OpenAPI documents here), but ${name} was asked of it`);
  },
}));
const { createServer } = require(require.resolve('@stoplight/prism-http-server', cli)) as typeof import('@stoplight/prism-http-server');
const { getHttpOperationsFromSpec } = require(require.resolve('@stoplight/prism-http', cli)) as typeof import('@stoplight/prism-http');
const { createLogger } = require(require.resolve('@stoplight/prism-core', cli)) as typeof import('@stoplight/prism-core');

export interface Prism {
  url: string;
  close: () => Promise<void>;
}

/**
 * Starts Prism on 127.0.0.1 with a port of the system's choice: `mock` answers from the document, `proxy`
 * forwards to `upstream` and validates requests and answers against it (violations in `sl-violations`).
 */
export async function startPrism(mode: 'mock' | 'proxy', document: string, upstream?: string): Promise<Prism> {
  const operations = await getHttpOperationsFromSpec(document);
  if (operations.length === 0) throw new Error(`prism: no operations in ${document}`);
  // prism-cli's defaults: --errors false, --cors true, --dynamic false, --validate-request true (proxy).
  const shared = { validateRequest: true, validateResponse: true, checkSecurity: true, errors: false, upstreamProxy: undefined, mock: { dynamic: false } };
  const config = mode === 'proxy' ? { ...shared, isProxy: true as const, upstream: new URL(upstream!) } : { ...shared, isProxy: false as const };
  const server = createServer(operations, { cors: true, config, components: { logger: createLogger('PRISM', { level: 'silent' }) } });
  const url = await server.listen(0, '127.0.0.1');
  return { url, close: () => server.close() };
}
