// Every 201 interaction of every committed pact demands every schema-required response property by a rule, so
// that a schema change can't silently weaken a contract (docs/decisions/0005).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { VALUES_THAT_COME_BACK, createRequestFactory, derefSchema, schemaFor, toProfile, type JsonSchema, type Profile } from 'vpptokens-contract-kit';
import { createdExpectation, strengthenPact } from 'vpptokens-contract-kit/pact';

const dir = join(__dirname, '..', '..', 'pacts');
const pacts = readdirSync(dir).filter((f) => f.endsWith('.json'));
const path = (key: string) => (/^[A-Za-z_]\w*$/.test(key) ? `$.${key}` : `$['${key}']`);

interface Interaction {
  description: string;
  request: { body?: { content?: Record<string, unknown> } };
  response: { status: number; body?: { content?: Record<string, unknown> }; matchingRules?: { body?: Record<string, { combine: string; matchers: { match: string; min?: number }[] }> } };
}
// Each pact is held to the schemas of the Graph profile it records (beta when it records none).
const created = pacts.flatMap((file) => {
  const pact = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { interactions: Interaction[]; metadata?: { vppkit?: { profile?: string } } };
  const profile = toProfile(pact.metadata?.vppkit?.profile ?? 'beta');
  return pact.interactions.filter((i) => i.response.status === 201).map((i) => [`${file}: ${i.description}`, i, profile] as const);
});

it('the committed pacts hold 201 interactions', () => {
  expect(created.length).toBeGreaterThanOrEqual(3);
});

describe.each(created)('%s', (_name, interaction, profile: Profile) => {
  const schema = schemaFor('response', profile);
  const required = schema.required as string[];
  const properties = schema.properties as Record<string, JsonSchema>;
  const rules = interaction.response.matchingRules?.body ?? {};
  const sent = interaction.request.body?.content ?? {};

  it.each(required)('has a rule for the required property %s, and its example holds it', (key) => {
    expect(rules[path(key)]).toBeDefined();
    expect(interaction.response.body?.content).toHaveProperty([key]);
  });

  it('accepts null for nullable properties and any length for lists, unless the value must come back', () => {
    for (const key of required) {
      const rule = rules[path(key)];
      if ((VALUES_THAT_COME_BACK as readonly string[]).includes(key) && key in sent && !(Array.isArray(sent[key]) && (sent[key] as unknown[]).length === 0)) {
        // A list the client set comes back with its members in any order (decision 0600): its count and its members.
        const list = Array.isArray(sent[key]) ? (sent[key] as unknown[]) : undefined;
        expect(rule).toEqual(list ? { combine: 'AND', matchers: [{ match: 'type', min: new Set(list).size, max: list.length }] } : { combine: 'AND', matchers: [{ match: 'equality' }] });
        if (list) expect(rules[`${path(key)}[*]`]).toEqual({ combine: 'AND', matchers: [{ match: 'type' }, { match: 'regex', regex: `^(${[...new Set(list)].join('|')})$` }] });
        expect(interaction.response.body?.content?.[key]).toEqual(sent[key]);
        continue;
      }
      const type = derefSchema(properties[key]).type;
      if (Array.isArray(type) && type.includes('null')) expect(rule).toEqual(expect.objectContaining({ combine: 'OR', matchers: expect.arrayContaining([{ match: 'null' }]) }));
      if (type === 'array') {
        expect(rule.matchers).toEqual([{ match: 'type', min: 0 }]);
        expect(Object.keys(rules).some((p) => p.startsWith(`${path(key)}[*]`))).toBe(true);
      }
    }
  });

  it('holds rules for a derived action result\'s own properties, where the profile has action results', () => {
    expect('tokenActionResults' in properties).toBe(profile === 'beta');
    if (profile !== 'beta') return;
    for (const own of ['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount']) expect(rules[`$.tokenActionResults[*].${own}`]).toBeDefined();
  });
});

// Outside finding N1 (decision 0360): Pact's regex matcher reads a number by its text, so `error.code` held by
// `^[\s\S]+$` alone passed `"code": 400`. Every refused create holds Graph's error body's code by type and regex.
const refused = pacts.flatMap((file) => {
  const pact = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { interactions: Interaction[] };
  return pact.interactions.filter((i) => i.response.status >= 400).map((i) => [`${file}: ${i.description}`, i] as const);
});
const CODE_RULE = { combine: 'AND', matchers: [{ match: 'type' }, { match: 'regex', regex: '^[\\s\\S]+$' }] };

it.each(refused)('%s holds error.code as a non-empty string, error.message as a string, and nothing it does not show', (_name, interaction) => {
  expect(interaction.response.matchingRules?.body).toEqual({ '$.error.code': CODE_RULE, '$.error.message': { combine: 'AND', matchers: [{ match: 'type' }] } });
  expect(Object.keys(interaction.response.body?.content?.error as object).sort()).toEqual(['code', 'message']);
});

describe('strengthenPact', () => {
  it('is idempotent on the committed pact', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'vppkit-strengthen-')), 'pact.json');
    const original = readFileSync(join(dir, pacts[0]), 'utf8');
    writeFileSync(copy, original);
    try {
      expect(strengthenPact(copy)).toBe([...created, ...refused].filter(([name]) => name.startsWith(pacts[0])).length);
      expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(JSON.parse(original));
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });

  it("writes the error schema's rules into a refused create as Pact's DSL wrote it (error.code by regex alone)", () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'vppkit-strengthen-')), 'pact.json');
    const original = JSON.parse(readFileSync(join(dir, pacts[0]), 'utf8')) as { interactions: Interaction[] };
    const weak = JSON.parse(JSON.stringify(original)) as typeof original;
    for (const i of weak.interactions) if (i.response.status >= 400) i.response.matchingRules!.body!['$.error.code'] = { combine: 'AND', matchers: [{ match: 'regex', regex: '^[\\s\\S]+$' } as never] };
    writeFileSync(copy, JSON.stringify(weak));
    try {
      expect(strengthenPact(copy)).toBe([...created, ...refused].filter(([name]) => name.startsWith(pacts[0])).length);
      expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(original);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });

  it('leaves a refusal whose body is not Graph\'s error as it is', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'vppkit-strengthen-')), 'pact.json');
    const original = JSON.parse(readFileSync(join(dir, pacts[0]), 'utf8')) as { interactions: Interaction[] };
    const other = { ...original, interactions: original.interactions.filter((i) => i.response.status === 400).slice(0, 1) };
    const rules = { '$.message': { combine: 'AND', matchers: [{ match: 'type' }] } };
    Object.assign(other.interactions[0].response, { body: { content: { message: 'no', statusCode: 400 }, contentType: 'application/json', encoded: false }, matchingRules: { body: rules } });
    writeFileSync(copy, JSON.stringify(other));
    try {
      expect(strengthenPact(copy)).toBe(0);
      expect((JSON.parse(readFileSync(copy, 'utf8')) as typeof original).interactions[0].response.matchingRules?.body).toEqual(rules);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });
});

describe('createdExpectation', () => {
  it('expects what the client set back, by equality, and nothing else by value', () => {
    const sent = createRequestFactory.withSeed(5).withTraits('full').buildAt(0);
    const { body, rules } = createdExpectation(sent);
    expect(rules['$.displayName']).toEqual({ combine: 'AND', matchers: [{ match: 'equality' }] });
    expect(body.displayName).toBe(sent.displayName);
    expect(rules['$.organizationName'].combine).toBe('OR');
    expect(rules['$.lastSyncStatus'].matchers[0]).toEqual({ match: 'regex', regex: '^(none|inProgress|completed|failed)$' });
  });

  it('gives a nullable string a string example, so that its type matcher means "a string"', () => {
    const { body } = createdExpectation({ token: 'x' });
    for (const key of ['organizationName', 'locationName', 'appleId', 'countryOrRegion', 'displayName']) expect(typeof body[key]).toBe('string');
  });
});
