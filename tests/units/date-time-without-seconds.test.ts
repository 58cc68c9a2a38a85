// Outside finding R28 (decision 0500): a DateTimeOffset without seconds (`2041-06-30T12:00Z`, `...12:00+02:00`) was
// refused in a create by check-client, validate and the mock, while OData JSON Format v4.01 §7.1 holds a body's
// Edm.DateTimeOffset to the ABNF's dateTimeOffsetValue, whose seconds are optional, Graph's reader pads them, and the
// kit's own $filter reader already took them. One DateTimeOffset rule now, in bodies and literals alike.
import { Readable } from 'node:stream';
import { createRequestFactory, formatProblem, problemsOf, readRecords, validateRecords, type Problem } from 'vpptokens-contract-kit';
import { createInteraction } from 'vpptokens-contract-kit/pact';
import { fileSeedInputs } from 'vpptokens-contract-kit/seed';
import { createdVppToken } from '../../src/graph/created';
import { checkClientRequest } from '../../src/judgement';
import { compileFilter } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { startReferenceProvider } from '../../src/provider';
import { isDateTimeOffset, sameDateTimeOffset } from '../../src/validation';

const sent = createRequestFactory.withSeed(5000).buildAt(0);
const LINES = ['Content-Type', 'application/json', 'Authorization', 'Bearer r28-access-token-0123456789'];
const WITHOUT_SECONDS = ['2041-06-30T12:00Z', '2041-06-30T12:00+02:00', '2041-06-30T23:59-14:00', '0001-01-01T00:00Z'];
// Seconds may be left out, nothing else: a fraction needs its seconds, the minutes are two digits, the day exists.
const NOT_DATES = ['2041-06-30T12Z', '2041-06-30T12:0Z', '2041-06-30T12:00.5Z', '2041-06-30T12:00', '2041-02-30T12:00Z', '2041-06-30T12:00+14:30', '2041-06-30T12:00:Z'];

/** What check-client says of a create with this body: its problems as `pointer: message`. */
function checkClient(body: unknown): string[] {
  const bytes = Buffer.from(JSON.stringify(body));
  const { problems } = checkClientRequest({ method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: {}, rawHeaders: LINES, body: undefined, bytes }, 'beta', { requireSTokens: true });
  return problems.map((p) => `${(p as { pointer?: string }).pointer ?? p.where}: ${p.message}`);
}

/** What `validate` says of the record: its problems' lines (none when valid). */
async function validate(body: unknown): Promise<string[]> {
  const said: string[] = [];
  await validateRecords('request', readRecords(Readable.from([`${JSON.stringify(body)}\n`]), 'ndjson'), (_record, problems: Problem[]) => said.push(...problems.map(formatProblem)), 'beta');
  return said;
}

/** Whether `seed --from` sends the record. */
async function seedSends(body: unknown): Promise<boolean> {
  const inputs = [];
  for await (const input of fileSeedInputs(Readable.from([`${JSON.stringify(body)}\n`]), 'ndjson', 'beta')) inputs.push(input);
  return inputs.length === 1 && inputs[0].request !== undefined;
}

describe('a DateTimeOffset without seconds, as OData writes it, in a create', () => {
  it.each(WITHOUT_SECONDS)('%s is taken by check-client, validate and seed, in expirationDateTime, lastSyncDateTime and an action result', async (date) => {
    const bodies = [
      { ...sent, expirationDateTime: date },
      { ...sent, lastSyncDateTime: date },
      { ...sent, tokenActionResults: [{ actionName: 'sync', actionState: 'done', startDateTime: date, lastUpdatedDateTime: date }] },
    ];
    for (const body of bodies) {
      expect(checkClient(body)).toEqual([]);
      expect(await validate(body)).toEqual([]);
      expect(await seedSends(body)).toBe(true);
    }
    expect(isDateTimeOffset(date)).toBe(true);
  });

  it.each(NOT_DATES)('%s is still refused, by the same words everywhere', async (date) => {
    const body = { ...sent, expirationDateTime: date };
    const said = checkClient(body);
    expect(said).toEqual([expect.stringMatching(/^\/expirationDateTime: must be a DateTimeOffset: .*seconds may be left out/)]);
    expect(await validate(body)).toEqual([expect.stringContaining(said[0].slice(0, 40))]);
    expect(await seedSends(body)).toBe(false);
    expect(isDateTimeOffset(date)).toBe(false);
  });

  it("is the instant it names: 12:00 is 12:00:00, and $filter's literal reads by the same rule", () => {
    expect(sameDateTimeOffset('2041-06-30T12:00+02:00', '2041-06-30T10:00:00.0000000Z')).toBe(true);
    expect(sameDateTimeOffset('2041-06-30T12:00Z', '2041-06-30T12:00:01Z')).toBe(false);
    const later = compileFilter('expirationDateTime gt 2041-06-30T12:00Z', vppTokenProperties('beta'));
    expect([later({ expirationDateTime: '2041-06-30T12:00:00.0000001Z' }), later({ expirationDateTime: '2041-06-30T12:00Z' })]).toEqual([true, false]);
    expect(() => compileFilter('expirationDateTime gt 2041-02-30T12:00Z', vppTokenProperties('beta'))).toThrow(/Unrecognized 'Edm.DateTimeOffset' literal/);
  });
});

describe('the 201 to a create without seconds', () => {
  it("writes the seconds, as Graph's writer does, naming the instant the client set", () => {
    const created = createdVppToken({ ...sent, expirationDateTime: '2041-06-30T12:00+02:00', lastSyncDateTime: '2026-01-01T08:30Z' }, { id: '2f6c0000-0000-0000-0000-000000000001', now: new Date('2026-12-04T00:00:00Z') });
    expect([created.expirationDateTime, created.lastSyncDateTime]).toEqual(['2041-06-30T12:00:00+02:00', '2026-01-01T08:30:00Z']);
    // Both ways: a date with its seconds is answered as it was sent.
    expect(createdVppToken({ ...sent, expirationDateTime: '2041-06-30T12:00:05.5+02:00' }, { id: '2f6c0000-0000-0000-0000-000000000001', now: new Date() }).expirationDateTime).toBe('2041-06-30T12:00:05.5+02:00');
  });

  it('is a valid answer without seconds too (one rule, both ways), and a date that is none is not', () => {
    const answer = createdVppToken(sent, { id: '2f6c0000-0000-0000-0000-000000000001', now: new Date('2026-12-04T00:00:00Z') });
    expect(problemsOf('response', { ...answer, lastSyncDateTime: '2026-01-01T08:30Z' })).toEqual([]);
    expect(problemsOf('response', { ...answer, lastSyncDateTime: '2026-01-01T08:3Z' }).map((p) => p.pointer)).toEqual(['/lastSyncDateTime']);
  });

  it('the reference provider (the mock) takes the create and answers with the seconds written', async () => {
    const provider = await startReferenceProvider({});
    try {
      const response = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: 'Bearer r28-access-token-0123456789', 'Content-Type': 'application/json' }, body: JSON.stringify({ ...sent, expirationDateTime: '2041-06-30T12:00Z' }) });
      const body = (await response.json()) as { expirationDateTime: string };
      expect([response.status, body.expirationDateTime]).toEqual([201, '2041-06-30T12:00:00Z']);
      const refused = await fetch(`${provider.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers: { Authorization: 'Bearer r28-access-token-0123456789', 'Content-Type': 'application/json' }, body: JSON.stringify({ ...sent, expirationDateTime: '2041-06-30T12:0Z' }) });
      await refused.arrayBuffer();
      expect(refused.status).toBe(400);
    } finally {
      await provider.close();
    }
  });
});

describe('a pact written for a create without seconds', () => {
  it("holds the date by a matcher that takes it again, and Graph's own spelling", () => {
    const interaction = createInteraction('a create without seconds', { ...sent, expirationDateTime: '2041-06-30T12:00Z' }) as unknown as { request: { body: Record<string, unknown> }; response: { body: Record<string, unknown> } };
    const regexOf = (node: unknown): RegExp => {
      const found = JSON.stringify(node).match(/"regex":"((?:[^"\\]|\\.)*)"/);
      expect(found).not.toBeNull();
      return new RegExp(JSON.parse(`"${found![1]}"`) as string);
    };
    const requestDate = regexOf(interaction.request.body.expirationDateTime);
    expect(['2041-06-30T12:00Z', '2041-06-30T12:00:00.1234567Z'].map((d) => requestDate.test(d))).toEqual([true, true]);
    expect(requestDate.test('2041-06-30T12:0Z')).toBe(false);
    // The answer's example is the date as Graph writes it back, which its matcher takes.
    const answered = interaction.response.body.expirationDateTime;
    expect(JSON.stringify(answered)).toContain('"2041-06-30T12:00:00Z"');
    expect(regexOf(answered).test('2041-06-30T12:00:00Z')).toBe(true);
  });
});
