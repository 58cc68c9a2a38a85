// A base URL option (verify's and conform's --provider-base-url, seed's and proxy's --target) takes no query or
// fragment: the kit appends the resource path to it, so conform sent the query in the wrong place (every create got
// 404 and the provider was blamed, exit 1) and verify dropped it without a word (outside tester G17). One rule in
// src/net (baseUrlOf), one refusal on every command: exit 2, one line, the URL shown without its query (a gateway key).
import { baseUrlOf } from '../../src/net';
import { run as vppkit } from '../support/run-cli';

const SECRET = 'gateway-key-7f3a';
const fail = (message: string) => new Error(message);

describe('a base URL has no query or fragment', () => {
  it.each(['http://127.0.0.1:9/beta?api-version=2', `http://127.0.0.1:9/beta?subscription-key=${SECRET}`, 'http://127.0.0.1:9/beta?', `http://127.0.0.1:9/beta#${SECRET}`, 'http://127.0.0.1:9/beta#'])(
    'refuses %s, without showing the query',
    (url) => {
      expect(() => baseUrlOf(url, '--target', fail)).toThrow(new Error('--target is a base URL without a query or fragment (got http://127.0.0.1:9/beta with one)'));
    },
  );

  it('takes a base URL with a path, and still refuses what is not an http URL', () => {
    expect(baseUrlOf('https://graph.microsoft.com/beta', '--target', fail).href).toBe('https://graph.microsoft.com/beta');
    expect(() => baseUrlOf('ftp://x/beta?y', '--target', fail)).toThrow(/--target must be an http or https URL/);
  });

  const commands: [string, string[], string][] = [
    ['conform', ['conform', '--provider-base-url'], '--provider-base-url'],
    ['verify', ['verify', '--provider-base-url'], '--provider-base-url'],
    ['seed', ['seed', '--count', '1', '--target'], '--target'],
    ['proxy', ['proxy', '--target'], '--target'],
  ];

  it.each(commands)('%s: exit 2 in one line, before any request; the same URL without the query gets past this check', async (_name, args, option) => {
    const refused = await vppkit([...args, `http://127.0.0.1:9/beta?subscription-key=${SECRET}`]);
    expect([refused.code, refused.stderr, refused.stdout]).toEqual([2, `vppkit: ${option} is a base URL without a query or fragment (got http://127.0.0.1:9/beta with one)\n`, '']);
    if (args[0] === 'seed') return; // without the query, seed would start a run (and write its report): the unit test above holds the rule
    const plain = await vppkit([...args, 'http://127.0.0.1:9/beta']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/ECONNREFUSED/);
  });
});

// Outside finding Y5 (round 17): a URL typed without its scheme (`localhost:9/beta?code=...`: `localhost:` read as
// the scheme), with a user before it (`admin:pw@host`: `admin:` the scheme) or unparsable was quoted whole, the
// gateway key or password with it. Shown by the one rule for a URL's text (src/net urlTextShown): no query or
// fragment, a user and password as `***@`.
describe('a URL option that is not an http URL is shown without its query, user or password', () => {
  it.each([
    [`127.0.0.1:9/beta?subscription-key=${SECRET}`, '127.0.0.1:9/beta'],
    [`localhost:9/beta?code=${SECRET}`, 'localhost:9/beta'],
    [`localhost:9/beta#${SECRET}`, 'localhost:9/beta'],
    [`admin:${SECRET}@127.0.0.1:9/beta`, '***@127.0.0.1:9/beta'],
    [`u:${SECRET}@broker.example`, '***@broker.example'],
    [`http://[::1/beta?code=${SECRET}`, 'http://[::1/beta'],
    [`ftp://u:${SECRET}@127.0.0.1/beta?k=${SECRET}`, 'ftp://***@127.0.0.1/beta'],
    [`admin:pa?${SECRET}@127.0.0.1:9/beta`, '***@127.0.0.1:9/beta'],
    ['localhost:8080', 'localhost:8080'],
  ])('%s is shown as %s', (given, shown) => {
    expect(() => baseUrlOf(given, '--target', fail)).toThrow(new Error(`--target must be an http or https URL, such as http://127.0.0.1:8080/beta (got ${JSON.stringify(shown)})`));
  });

  it('refuses on the command line in one line that holds no secret', async () => {
    const refused = await vppkit(['proxy', '--target', `admin:${SECRET}@127.0.0.1:9/beta?code=${SECRET}`]);
    expect([refused.code, refused.stderr, refused.stdout]).toEqual([2, 'vppkit: --target must be an http or https URL, such as https://graph.microsoft.com (got "***@127.0.0.1:9/beta")\n', '']);
  });
});
