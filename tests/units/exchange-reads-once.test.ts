// A review finding: judgeCreateExchange read the create's bytes twice (once in checkCreateRequest, once more for the
// answer's context), decoding its content coding, UTF-8 and JSON again for every create the proxy judges. It reads
// them once now; what it finds is the same (tests/judgement.test.ts and tests/proxy judge the exchange itself).
import { createdVppToken, createRequestFactory } from 'vpptokens-contract-kit';
import { judgeCreateExchange } from '../../src/judgement';

jest.mock('../../src/wire/message', () => {
  const actual = jest.requireActual('../../src/wire/message');
  return { ...actual, readMessage: jest.fn(actual.readMessage) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readMessage } = require('../../src/wire/message') as { readMessage: jest.Mock };

const sent = createRequestFactory.withSeed(1470).buildAt(0);
const json = 'application/json;odata.metadata=minimal;charset=utf-8';
const request = (body: string) => ({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer reads-once-0123456789'], body: undefined, bytes: Buffer.from(body) });

beforeEach(() => readMessage.mockClear());

it('reads a create that keeps the contract once, and still judges its 201', () => {
  const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
  const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify(created) };
  expect(judgeCreateExchange(request(JSON.stringify(sent)), answer)).toEqual([]);
  expect(readMessage.mock.calls.filter(([m]) => m.bytes !== undefined && Buffer.from(m.bytes).toString() === JSON.stringify(sent))).toHaveLength(1);
});

it('reads a broken create once, and still fails it and the provider that took it', () => {
  const broken = JSON.stringify({ ...sent, displayName: 7 });
  const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
  const answer = { status: 201, headers: {}, rawHeaders: ['Content-Type', json], body: JSON.stringify(created) };
  const problems = judgeCreateExchange(request(broken), answer);
  expect(problems.map((p) => [p.side, p.check, p.where])).toEqual([['client', 'request schema', 'body /displayName'], ['provider', 'status', 'status'], ['provider', 'credentials not echoed', 'body /token']]);
  expect(readMessage.mock.calls.filter(([m]) => m.bytes !== undefined && Buffer.from(m.bytes).toString() === broken)).toHaveLength(1);
});
