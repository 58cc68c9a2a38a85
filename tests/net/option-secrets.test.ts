// Outside tester L15 (round 8): options that carry credentials are refused without showing them. `--header` in
// curl's form (`Name: value`) with an `=` in the value (base64 padding, a JWT) was read as NAME=VALUE and its
// "name" (the whole credential but its padding) printed; `--public-host` with a user, password or query printed them.
import { checkExtraHeaders, parseHeaderArguments, publicHostOf } from '../../src/net';

const SECRET = 'c2VjcmV0a2V5MTIzNDU2Nzg5MA';
const fail = (message: string) => new Error(message);
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('not refused');
};

describe('--header', () => {
  it.each([`Ocp-Apim-Subscription-Key: ${SECRET}==`, `X-Functions-Key:${SECRET}=`, `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.${SECRET}.c2ln=`])(
    'in curl\'s form with "=" in its value (%#) is refused as curl\'s form, naming the name and never the value',
    (arg) => {
      const message = refusal(() => parseHeaderArguments([arg]));
      expect(message).toMatch(/^--header must be NAME=VALUE, such as Ocp-Apim-Subscription-Key=VALUE \(got "[A-Za-z-]+: \.\.\.", curl's form\)$/);
      expect(message).not.toContain(SECRET.slice(0, 12));
    },
  );

  it('with a name that is no header name says which character, not the name; a good one passes', () => {
    const message = refusal(() => checkExtraHeaders({ [`x key ${SECRET}`]: 'v' }));
    expect(message).toBe("--header's name is not a header name: character 2 is \" \" (letters, digits and !#$%&'*+.^_`|~- only; the name is not shown, it may hold a credential)");
    expect(parseHeaderArguments([`Ocp-Apim-Subscription-Key=${SECRET}==`])).toEqual({ 'Ocp-Apim-Subscription-Key': `${SECRET}==` });
  });
});

describe('--public-host', () => {
  it.each([`user:${SECRET}@gw.example`, `gw.example/?sig=${SECRET}`, `gw.example#${SECRET}`, `https://user:${SECRET}@gw.example`, `gw.example/path/${SECRET}`])('%p is refused without its credential', (text) => {
    const message = refusal(() => publicHostOf(text, '--public-host', fail));
    expect(message).toMatch(/^--public-host must be a host/);
    expect(message).not.toContain(SECRET.slice(0, 12));
  });

  it('shows a refused value that can hold no credential, and takes a plain host', () => {
    expect(refusal(() => publicHostOf('gw example', '--public-host', fail))).toMatch(/\(got "gw example"\)$/);
    expect(publicHostOf('GW.example:8443', '--public-host', fail)).toBe('gw.example:8443');
  });
});

// Decision 0682: which --header values are hidden is one rule for verify, conform and seed (seed and verify hid every
// value, `Prefer: omit-values=nulls` too, where conform showed a plain field's).
describe("--header values hidden by the one rule (addedHeaderSecrets)", () => {
  it("hides every field's value but a plain field's, in verify's secrets as well", async () => {
    const { addedHeaderSecrets } = await import('../../src/judgement');
    const { secretsOfVerify } = await import('../../src/verification/setup');
    // A value that could not be told from chance (`short`, `true`, a word of the contract) is not looked for: decision 0740.
    const headers = { Prefer: 'omit-values=nulls', accept: 'application/json', 'Ocp-Apim-Subscription-Key': SECRET, 'X-Key': 'short', 'X-Gateway-Key': 'gw-key-0123' };
    expect(addedHeaderSecrets(headers)).toEqual([SECRET, 'gw-key-0123']);
    expect(addedHeaderSecrets(undefined)).toEqual([]);
    expect(secretsOfVerify({ headers, broker: { token: 'broker-token-0123', password: 'pact' } } as never).values).toEqual([SECRET, 'gw-key-0123', 'broker-token-0123', undefined]);
  });
});

// Outside attacker R77 (decision 0740): verify hid every value it was given wherever its text stood in an answer
// before Pact judged it, so `--bearer token`, `--bearer valid` and `--header Ocp-Apim-Trace=true` failed the kit's own
// reference provider (`vpp[bearer]AccountType`, `"state":"[bearer]"`, every JSON `true` `[token]`). A value is looked
// for in a text by the judgement's one bound (worthLookingFor): 8 characters or more, no word of the contract.
describe("the run's credentials in what Pact reads (decision 0740)", () => {
  let sent = 0;
  const exchange = async (target: string, secrets: import('../../src/net').Secrets, headers: Record<string, string>) => {
    const { startForwarder } = await import('../../src/verification/forwarder');
    const seen: { bytes: Buffer; rawHeaders: string[] }[] = [];
    const forwarder = await startForwarder(new URL(target), { timeoutMs: 10_000, secrets, onExchange: (e) => seen.push(e) });
    try {
      const { createRequestFactory } = await import('../../src');
      const answer = await fetch(`${forwarder.url}/deviceAppManagement/vppTokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(createRequestFactory.withSeed(740).buildAt(sent++)) });
      return { pact: Buffer.from(await answer.arrayBuffer()), header: answer.headers.get('x-echo'), provider: seen[0] };
    } finally {
      await forwarder.close();
    }
  };

  it('hands Pact the reference provider\'s answer as it came under a short or common bearer and header values', async () => {
    const { secretsOfVerify } = await import('../../src/verification/setup');
    const { startReferenceProvider } = await import('../../src/provider');
    const provider = await startReferenceProvider();
    try {
      for (const [bearer, headers] of [['token', { 'Ocp-Apim-Trace': 'true' }], ['valid', { 'X-Tenant': 'business' }]] as const) {
        const secrets = secretsOfVerify({ bearer, headers });
        const { pact, provider: sent } = await exchange(`${provider.url}/beta`, secrets, { Authorization: `Bearer ${bearer}`, ...headers });
        expect(pact.toString()).toBe(sent.bytes.toString());
        expect(JSON.parse(pact.toString())).toMatchObject({ vppTokenAccountType: 'business', state: 'valid', automaticallyUpdateApps: expect.any(Boolean) });
        expect(secrets).toEqual({ values: [undefined, undefined] });
      }
    } finally {
      await provider.close();
    }
  });

  it('still hides a bearer and a key worth looking for where a provider echoes them', async () => {
    const { secretsOfVerify } = await import('../../src/verification/setup');
    const { listenOnLoopback } = await import('../support/listen');
    const { createServer } = await import('node:http');
    const echo = await listenOnLoopback(
      createServer((req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Echo': `${req.headers.authorization} ${req.headers['x-key']}` });
        res.end(JSON.stringify({ displayName: `auth was ${req.headers.authorization} key ${req.headers['x-key']}`, state: 'valid' }));
      }),
    );
    try {
      const bearer = 'Zq8xLongDummyBearer0123';
      const secrets = secretsOfVerify({ bearer, headers: { 'X-Key': 'GatewayKey0123', 'Ocp-Apim-Trace': 'true' } });
      expect(secrets).toEqual({ bearer, values: ['GatewayKey0123', undefined, undefined] });
      const { pact, header } = await exchange(echo.url, secrets, { Authorization: `Bearer ${bearer}`, 'X-Key': 'GatewayKey0123', 'Ocp-Apim-Trace': 'true' });
      expect(JSON.parse(pact.toString())).toEqual({ displayName: 'auth was Bearer [bearer] key [token]', state: 'valid' });
      expect(header).toBe('Bearer [bearer] [token]');
    } finally {
      await echo.close();
    }
  });
});
