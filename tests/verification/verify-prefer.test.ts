// Outside finding R95 (decision 0861): `verify --header Prefer=return=minimal` (or `omit-values=nulls`) blamed a
// provider that honoured it (204, or a 201 without its nulls), while conform and seed took the same answer as
// created: Pact compares every answer with the pact's. verify refuses the two preferences (and respond-async, 1131) before the run, exit 2;
// every other preference is sent as before.
import { VerificationSetupError, checkVerifyInputs } from '../../src/verification/setup';
import { CANONICAL_PACT } from '../../src/verification/verify';

const inputs = (headers: Record<string, string>) => () => checkVerifyInputs({ headers }, [CANONICAL_PACT]);

describe('verify --header Prefer (decision 0861, outside finding R95)', () => {
  it('refuses return=minimal and omit-values=nulls in any spelling Prefer takes, naming the header and what to do', () => {
    for (const [name, value] of [['Prefer', 'return=minimal'], ['prefer', 'odata.maxpagesize=5, RETURN = minimal'], ['PREFER', 'return="minimal"']]) {
      expect(inputs({ [name]: value })).toThrow(new VerificationSetupError(`--header ${name}: return=minimal (a create answered 204 No Content, OData 4.01 Part 1 §11.4.2) lets a correct provider leave out what the pact's answers hold, and Pact compares every answer with the pact's: a provider that honours it would fail; put the preference in the pact's own requests (a 204 is then judged as the create it is), or run conform or seed, which take it`));
    }
    for (const value of ['omit-values=nulls', 'return=representation; odata.include-annotations="*", omit-values=nulls']) {
      expect(inputs({ Prefer: value })).toThrow(/^--header Prefer: omit-values=nulls \(a 201 without its null properties, OData 4\.01 Part 1 §8\.2\.8\.6\) lets a correct provider/);
    }
  });

  // Decision 1131 (outside finding R138): a provider that honours respond-async answers 202 Accepted with a status
  // monitor, which Pact compares with the pact's 201.
  it('refuses respond-async alone, with wait, in any case, as return=minimal', () => {
    for (const value of ['respond-async', 'respond-async, wait=10', 'wait=10, RESPOND-ASYNC', 'odata.maxpagesize=5,respond-async']) {
      expect(inputs({ Prefer: value })).toThrow(/^--header Prefer: respond-async \(a create answered 202 Accepted with a status monitor, RFC 7240 §4\.1, OData 4\.01 Part 1 §8\.2\.8\.8; decision 1131\) lets a correct provider/);
    }
  });

  it('takes every other preference and a header whose name only holds Prefer', () => {
    for (const value of ['return=representation', 'odata.maxpagesize=10', 'omit-values=defaults', 'wait=10', 'wait=10; respond-async', 'respond-asynchronous', 'return=minimalist']) expect(inputs({ Prefer: value })).not.toThrow();
    expect(inputs({ 'X-Prefer': 'return=minimal', 'Ocp-Apim-Subscription-Key': 'k3y-0123456789abcdef' })).not.toThrow();
  });
});
