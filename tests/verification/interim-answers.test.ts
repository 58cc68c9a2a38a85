// Outside tester R36: a provider that sends `103 Early Hints` with `X-Debug-Auth: <the request's Authorization>`, or a
// `100 Continue` with the create's VPP token, before its 201 passed verify: the interim answers were never read. They
// are part of the answer (RFC 9110 §15.2) and judged with it (decision 0521); Pact's verifier never sees them.
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { relayFront, verifiedThrough } from '../support/front';

type Interim = 'a plain 103' | 'the bearer in a 103' | 'the VPP token in a 100 Continue';
const BEARER = 'Zq9Xw2Lk7Rt4Vb8Nm3Hs6Jd1Fg5Cp0Y';

/** The reference provider behind a front that sends `interim` before each answer, written on the connection as it came. */
const interimFront = (target: ReferenceProvider, interim: Interim) =>
  relayFront(target, (req, _res, body) => {
    const token = /"token":"([^"]+)"/.exec(body.toString())?.[1] ?? '';
    const head =
      interim === 'the VPP token in a 100 Continue' ? `HTTP/1.1 100 Continue\r\nX-Debug-Token: ${token}\r\n` : `HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload; as=style\r\n${interim === 'the bearer in a 103' ? `X-Debug-Auth: ${req.headers.authorization ?? ''}\r\n` : ''}`;
    req.socket.write(`${head}\r\n`);
  });

let target: ReferenceProvider;
beforeAll(async () => {
  target = await startReferenceProvider();
});
afterAll(async () => {
  await target.close();
});

it('passes a provider that sends a plain 103 Early Hints before its 201', async () => {
  const verified = await verifiedThrough(await interimFront(target, 'a plain 103'), { interaction: 'every property', bearer: BEARER });
  expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
  expect(verified.passed).toBe(true);
});

it.each([
  ['the bearer in a 103', 'interim 103 header X-Debug-Auth', /bearer token \(not shown\)/],
  ['the VPP token in a 100 Continue', 'interim 100 header X-Debug-Token', /VPP token \(not shown\)/],
] as const)('fails a provider that sends %s, at that interim answer, never showing it', async (interim, where, message) => {
  const verified = await verifiedThrough(await interimFront(target, interim), { interaction: 'every property', bearer: BEARER });
  expect(verified.passed).toBe(false);
  expect(verified.interactions[0].answerProblems).toEqual([expect.objectContaining({ check: 'credentials not echoed', where, message: expect.stringMatching(message) })]);
  expect(JSON.stringify(verified)).not.toContain(BEARER);
});
