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
    const { addedHeaderSecrets } = await import('../../src/net');
    const { secretsOfVerify } = await import('../../src/verification/setup');
    const headers = { Prefer: 'omit-values=nulls', accept: 'application/json', 'Ocp-Apim-Subscription-Key': SECRET, 'X-Key': 'short' };
    expect(addedHeaderSecrets(headers)).toEqual([SECRET, 'short']);
    expect(addedHeaderSecrets(undefined)).toEqual([]);
    expect(secretsOfVerify({ headers, broker: { token: 'broker-token-0123' } } as never).values).toEqual([SECRET, 'short', 'broker-token-0123', undefined]);
  });
});
