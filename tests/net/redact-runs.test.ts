// The redaction's run matcher (src/net/redact.ts) finds a long secret by any run of 24 characters of any of its
// spellings, with a rolling hash (docs/decisions/0135). Held here against the plain definition it replaced: every
// run of every spelling looked for as a substring, case aside. Both ways: a text holding a run is found, a text
// holding only shorter pieces is not.
import fc from 'fast-check';
import { hideSecrets, holdsSecret, secretFilterOf, secretSpellings } from '../../src/net';

const RUN = 24;

/** The plain definition: a whole spelling of at most RUN characters, or any RUN characters of a longer one. */
function holdsPlainly(text: string, secret: string): boolean {
  if (secret.length < 4 || text.length < 4) return false;
  const lower = text.toLowerCase();
  return secretSpellings(secret).some((spelling) => {
    const s = spelling.toLowerCase();
    if (s.length <= RUN) return lower.includes(s);
    for (let i = 0; i + RUN <= s.length; i++) if (lower.includes(s.slice(i, i + RUN))) return true;
    return false;
  });
}

const sToken = (inner: string) => Buffer.from(JSON.stringify({ token: inner, expDate: '2027-01-01T00:00:00+0000', orgName: 'Contoso' })).toString('base64');
const noise = fc.string({ unit: fc.constantFrom(...'abcXYZ019+/=-_%" {}:,é'.split('')), maxLength: 40 });
const secrets = fc.oneof(
  fc.string({ minLength: 8, maxLength: 30 }).map(sToken),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('')), minLength: 4, maxLength: 120 }),
  fc.integer({ min: 20, max: 60 }).map((n) => 'a'.repeat(n)),
);
/** A text of noise and pieces (of any length, any case) of the secret's spellings. */
const textOf = (secret: string) =>
  fc.array(fc.tuple(noise, fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 5 }).map((parts) => {
    const spellings = secretSpellings(secret);
    return parts
      .map(([before, which, from, length, shout]) => {
        const spelling = spellings.length ? spellings[which % spellings.length] : secret;
        const start = from % (spelling.length + 1);
        const piece = spelling.slice(start, start + (length % (spelling.length - start + 1)));
        return before + (shout ? piece.toUpperCase() : piece);
      })
      .join('');
  });

describe('redaction: a long secret found by any run of 24 characters of any spelling', () => {
  it('finds exactly what the plain search of every run finds, and leaves none of it behind', () => {
    fc.assert(
      fc.property(secrets.chain((secret) => fc.tuple(fc.constant(secret), textOf(secret))), ([secret, text]) => {
        const holds = holdsPlainly(text, secret);
        expect(holdsSecret(text, secret)).toBe(holds);
        const hidden = hideSecrets(text, { values: [secret] });
        expect(hidden !== text).toBe(holds);
        expect(holdsPlainly(hidden.split('[token]').join('\u0001'), secret)).toBe(false);
      }),
      { seed: 135, numRuns: 300 },
    );
  });

  it('24 characters of a long spelling are the secret; 23 are not, at the start, the middle or the end', () => {
    const secret = sToken('iXpT-cYRBqROqhhRf0123456789');
    for (const at of [0, 40, secret.length - RUN]) {
      expect(holdsSecret(`x ${secret.slice(at, at + RUN)} y`, secret)).toBe(true);
      expect(holdsSecret(`x ${secret.slice(at, at + RUN - 1)} y`, secret)).toBe(false);
    }
    // A run is compared, not only hashed: the same run with one character changed is not the secret.
    const run = secret.slice(10, 10 + RUN);
    const changed = `${run.slice(0, 12)}${run[12] === 'Q' ? 'R' : 'Q'}${run.slice(13)}`;
    expect(holdsSecret(changed, secret)).toBe(false);
  });

  it('reads a 4 MiB text once: a run at its very end is found, a text of one repeated character is not the secret', () => {
    const secret = sToken('a-secret-inner-token-0042');
    const filler = 'a'.repeat(4 * 1024 * 1024);
    expect(holdsSecret(filler, secret)).toBe(false);
    expect(holdsSecret(`${filler}${secret.slice(-RUN)}`, secret)).toBe(true);
    // (Compared by parts: a failure message quoting 4 MiB would be unreadable.)
    const hidden = hideSecrets(`${filler} ${secret}`, { values: [secret] });
    expect([hidden.length, hidden.slice(-10), hidden.slice(0, -8) === filler]).toEqual([filler.length + 8, 'aa [token]', true]);
  });

  // The words of the contract are asked of every new VPP token conform sends: one index over the texts tells most
  // secrets apart at once, and it must never say "no" where one text holds the secret (then the words are asked).
  it('a filter over many texts says "may" whenever one of them holds the secret, and "no" for a secret none holds', () => {
    fc.assert(
      fc.property(
        secrets.chain((secret) => fc.tuple(fc.constant(secret), fc.array(fc.oneof(textOf(secret), noise), { minLength: 1, maxLength: 6 }))),
        ([secret, texts]) => {
          if (texts.some((text) => holdsPlainly(text, secret))) expect(secretFilterOf(texts)(secret)).toBe(true);
        },
      ),
      { seed: 270, numRuns: 300 },
    );
    const secret = sToken('a-secret-inner-token-0270');
    const words = ['business', 'microsoft.graph.vppToken', 'https://graph.microsoft.com/beta/$metadata#deviceAppManagement/vppTokens/$entity'];
    expect(secretFilterOf(words)(secret)).toBe(false);
    expect(secretFilterOf([...words, `x${secret.slice(30, 30 + RUN).toUpperCase()}y`])(secret)).toBe(true);
    expect(secretFilterOf(words)('BUSINESS')).toBe(true);
    expect(secretFilterOf(words)(Buffer.from('microsoft.graph.vppToken').toString('base64'))).toBe(false);
    expect(secretFilterOf([...words, Buffer.from('microsoft.graph.vppToken').toString('base64')])('microsoft.graph.vppToken')).toBe(true);
  });
});
