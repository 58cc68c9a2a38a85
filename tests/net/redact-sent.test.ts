// The redaction of a text that speaks of one request (verify's line of Pact's mismatch for an interaction): the VPP
// token that request sent and any other are told apart, neither shown (decision 0347). Both were `[token]`, so
// "Expected '[token]' to be equal to '[token]'" could not say that the provider's token was another caller's.
import { redact } from '../../src/net';

const sToken = (inner: string, org = 'Contoso') => Buffer.from(JSON.stringify({ token: inner, expDate: '2027-01-01T00:00:00+0000', orgName: org })).toString('base64');
const sent = sToken('SENTINNERTOKEN-0123456789abcdefghij');
const another = sToken('OTHERINNERTOKEN-0123456789abcdefghij');
const SENT = '[the VPP token this request sent]';
const ANOTHER = '[another VPP token]';

describe('redact with the token the request sent', () => {
  it('names the sent token in any spelling, and any other sToken as another, though the two share their JSON skeleton', () => {
    expect(redact(`Expected '${another}' (String) to be equal to '${sent}' (String)`, { sent })).toBe(`Expected '${ANOTHER}' (String) to be equal to '${SENT}' (String)`);
    const respelled = sent.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(redact(`got '${respelled}', then '${encodeURIComponent(sent)}'`, { sent })).toBe(`got '${SENT}', then '${SENT}'`);
    // Its Apple token alone, and nine tenths of it, are the sent one's too.
    expect(redact("inner 'SENTINNERTOKEN-0123456789abcdefghij'", { sent })).toBe(`inner '${SENT}'`);
    expect(redact(`cut '${sent.slice(0, Math.floor(sent.length * 0.9))}'`, { sent })).toBe(`cut '${SENT}'`);
  });

  it('without it, every sToken is [token] as before, and a text without one is left as it is', () => {
    expect(redact(`Expected '${another}' (String) to be equal to '${sent}' (String)`)).toBe("Expected '[token]' (String) to be equal to '[token]' (String)");
    expect(redact("Expected '***' (String) to be a null value", { sent })).toBe("Expected '***' (String) to be a null value");
  });
});
