// Outside tester R56 (decision 0601): the OpenAPI's DateTimeOffset is what a tool that reads only the document applies
// (Prism and Schemathesis: ajv 2020 with ajv-formats' date-time), and it took offsets past ±14:00 and year 0000, which
// the kit's schemas refuse and conform sends as invalid. The document's pattern is the schema's with the kit's bounds.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PROFILES, createRequestFactory, derefSchema, schemaFor, validate, type JsonSchema } from 'vpptokens-contract-kit';
import { DATE_TIME_OFFSET_BOUNDS, boundedDateTimeOffsetPattern } from '../../src/validation/date-time';
import { openApiDocument } from 'vpptokens-contract-kit/openapi';

const token = createRequestFactory.withSeed(3).withTraits('minimal').buildAt(0).token;

/** The document's create-request schema as Prism applies it: ajv 2020, ajv-formats' formats asserted. */
function openApiCreate(profile: (typeof PROFILES)[number]) {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addSchema(openApiDocument(profile), 'openapi');
  return ajv.getSchema('openapi#/components/schemas/VppTokenCreateRequest')!;
}

// Both take these: offsets to ±14:00, years 0001 to 9999, Graph's "never", 12 fraction digits, a leap day.
const TAKEN = [
  '2027-01-01T00:00:00Z',
  '2027-01-01T00:00:00+14:00',
  '2027-01-01T00:00:00-14:00',
  '2027-01-01T00:00:00+13:59',
  '2027-01-01T00:00:00-00:30',
  '0001-01-01T00:00:00Z',
  '0001-01-01T05:00:00+01:00',
  '0999-06-30T12:00:00Z',
  '9999-12-31T23:59:59.9999999Z',
  '9999-12-31T10:00:00+05:00',
  '2024-02-29T00:00:00Z',
  '2027-06-30T12:00:00.123456789012+05:30',
];
// Both refuse these: an offset past ±14:00 (as conform's invalid family sends), year 0000 or past 9999, a day or hour
// that is none, no offset, lowercase, 13 fraction digits.
const REFUSED = [
  '2027-01-01T00:00:00+14:30',
  '2027-01-01T00:00:00+14:01',
  '2027-01-01T00:00:00-15:00',
  '2027-01-01T00:00:00+23:59',
  '0000-01-01T00:00:00Z',
  '0000-06-30T12:00:00Z',
  '10000-01-01T00:00:00Z',
  '2027-02-29T00:00:00Z',
  '2027-13-01T00:00:00Z',
  '2027-01-01T24:00:00Z',
  '2027-01-01T00:00:00',
  '2027-01-01t00:00:00z',
  '2027-01-01T00:00:00.1234567890123Z',
];

describe.each(PROFILES.map((p) => [p]))("the %s OpenAPI's DateTimeOffset and validate('request', ...)", (profile) => {
  const create = openApiCreate(profile);
  const both = (date: string) => [date, create({ token, expirationDateTime: date }), validate('request', { token, expirationDateTime: date }, profile).valid];

  it('take the same dates', () => {
    for (const date of TAKEN) expect(both(date)).toEqual([date, true, true]);
  });

  it('refuse the same dates', () => {
    for (const date of REFUSED) expect(both(date)).toEqual([date, false, false]);
  });

  // Known, and said in the document: a pattern does not apply the offset. Both dates are valid RFC 3339 of years the
  // pattern takes; their instants fall outside them.
  it("says in words what its pattern cannot: an instant outside years 1 to 9999 once the offset is applied", () => {
    for (const date of ['9999-12-31T23:59:59-01:00', '0001-01-01T00:30:00+01:00']) expect(both(date)).toEqual([date, true, false]);
    expect((openApiDocument(profile) as unknown as { components: { schemas: Record<string, { description: string }> } }).components.schemas.DateTimeOffset.description).toContain(DATE_TIME_OFFSET_BOUNDS);
  });

  // Known: ajv-formats' date-time (RFC 3339 §5.6) has the seconds; OData's ABNF and Graph's reader leave them out
  // (decision 0500), so a tool that asserts the format refuses a date the kit takes.
  it('refuses the seconds left out by its format, which the kit takes', () => {
    expect(both('2027-01-01T00:00Z')).toEqual(['2027-01-01T00:00Z', false, true]);
  });
});

describe('the bounded pattern', () => {
  it("is the schema's own, its year and offset bounded, and fails loudly when the schema's changes shape", () => {
    const schema = schemaFor('response').properties as Record<string, JsonSchema>;
    const own = derefSchema(schema.lastSyncDateTime).pattern as string;
    const bounded = boundedDateTimeOffsetPattern(own);
    expect((openApiDocument('beta') as unknown as { components: { schemas: Record<string, { pattern: string }> } }).components.schemas.DateTimeOffset.pattern).toBe(bounded);
    expect(bounded.replace('(?:(?:0(?:0(?:0[1-9]|[1-9][0-9])|[1-9][0-9]{2})|[1-9][0-9]{3}))', '[0-9]{4,}').replace('[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)', '[+-][0-9][0-9]:[0-9][0-9]')).toBe(own);
    expect(() => boundedDateTimeOffsetPattern(own.replace('[0-9]{4,}', '[0-9]{4}'))).toThrow(/no longer has \[0-9\]\{4,\}/);
  });
});
