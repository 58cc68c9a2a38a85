// Outside attacker R112: verify behind a gateway that refuses every request with 401 and its own challenge (API
// Management's `AzureApiManagementKey ... name="Ocp-Apim-Subscription-Key"`) said no likely cause, where conform and
// seed named the scheme and the header (decision 0262): the create whose pact asks for a 401 got the gateway's 401 too,
// failed for its challenge, and was counted as "another status". One rule for every command (src/net's likely cause).
// R115: a key given with --header and refused is said so, not asked for again.
import { createServer } from 'node:http';
import { listenOnLoopback } from '../support/listen';
import { run as vppkit } from '../support/run-cli';

const APIM = 'AzureApiManagementKey realm="https://gw.example/",name="Ocp-Apim-Subscription-Key",type="header"';

/** A gateway answering every request 401 with `challenge`, and APIM's own body. */
const gateway = (challenge: string) =>
  listenOnLoopback(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': challenge });
        res.end('{ "statusCode": 401, "message": "Access denied due to missing subscription key." }');
      });
    }),
  );

const causeOf = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('vppkit: every request'));

it('names the gateway\'s scheme and header when every request got its 401, and says a key given with --header was refused', async () => {
  const gw = await gateway(APIM);
  try {
    const base = `${gw.url}/beta`;
    const missing = await vppkit(['verify', '--provider-base-url', base, '--bearer', 'Tk3nAbCdEfGhIjKlMnOpQr']);
    expect(missing.code).toBe(1);
    expect(causeOf(missing.stderr)).toEqual(['vppkit: every request got 401: the target challenges for AzureApiManagementKey, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1): it wants another credential than the access token, such as a gateway\'s key; give it with --header "Ocp-Apim-Subscription-Key=$KEY"']);
    const given = await vppkit(['verify', '--provider-base-url', base, '--bearer', 'Tk3nAbCdEfGhIjKlMnOpQr', '--header', 'ocp-apim-subscription-key=0123456789abcdef0123456789abcdef', '--json']);
    expect(given.code).toBe(1);
    expect(JSON.parse(given.stdout).likelyCause).toBe('every request got 401: the target challenges for AzureApiManagementKey, not Bearer (WWW-Authenticate, RFC 9110 §11.6.1) and names Ocp-Apim-Subscription-Key, which was given with --header and refused: is that key wrong, expired, or for another product or API of the gateway?');
    expect(`${given.stdout}${given.stderr}`).not.toContain('0123456789abcdef');
  } finally {
    await gw.close();
  }
});

it('asks about the bearer when the 401s challenge for Bearer, the create asking for a 401 no exception', async () => {
  const gw = await gateway('Bearer realm="graph"');
  try {
    const refused = await vppkit(['verify', '--provider-base-url', `${gw.url}/beta`, '--bearer', 'Tk3nAbCdEfGhIjKlMnOpQr']);
    expect(refused.code).toBe(1);
    expect(causeOf(refused.stderr)).toEqual([expect.stringMatching(/^vppkit: every request got 401: is --bearer a valid access token for this target/)]);
  } finally {
    await gw.close();
  }
});
