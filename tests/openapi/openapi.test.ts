// The exported OpenAPI document: generated from the schemas, committed and drift-tested, valid by a real OpenAPI
// validator, and good enough for Prism to mock Graph and to judge the reference provider's traffic.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfig, lint } from '@redocly/openapi-core';
import { PROFILES, problemsOf, type Profile } from 'vpptokens-contract-kit';
import { OPENAPI_DIR, openApiDocument, openApiFile, openApiText } from 'vpptokens-contract-kit/openapi';
import { canonicalInteractions, exampleRequest } from 'vpptokens-contract-kit/pact';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { startPrism, type Prism } from '../support/prism';

const dir = mkdtempSync(join(tmpdir(), 'vppkit-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const operation = (doc: Doc, profile: Profile) => doc.paths[`/${profile}/deviceAppManagement/vppTokens`].post;

async function lintProblems(doc: unknown): Promise<string[]> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const config = await createConfig({ extends: ['recommended-strict'] });
  return (await lint({ ref: file, config })).map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
}

describe.each(PROFILES.map((p) => [p]))('the %s document', (profile) => {
  const doc = openApiDocument(profile) as Doc;

  it('is the committed openapi/ file (npm run generate:openapi)', () => {
    expect(readFileSync(join(OPENAPI_DIR, openApiFile(profile)), 'utf8')).toBe(openApiText(profile));
  });

  it('passes Redocly\'s recommended-strict OpenAPI 3.1 rules, examples checked against their schemas', async () => {
    expect(await lintProblems(doc)).toEqual([]);
  });

  it('holds the path under its version prefix, every error status, Retry-After on 429 and 503, and the permissions', () => {
    const post = operation(doc, profile);
    expect(Object.keys(post.responses)).toEqual(['201', '400', '401', '403', '413', '415', '429', '503', '504']);
    const headersOf = (status: string) => Object.keys(doc.components.responses[post.responses[status].$ref.split('/').pop()].headers);
    expect(headersOf('429')).toContain('Retry-After');
    expect(headersOf('503')).toContain('Retry-After');
    expect(headersOf('504')).not.toContain('Retry-After');
    expect(doc.security).toEqual([{ bearer: ['DeviceManagementServiceConfig.ReadWrite.All'] }, { bearer: ['DeviceManagementConfiguration.ReadWrite.All'] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('takes its examples from the committed fixtures, each valid in the profile', () => {
    const fixture = (path: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8'));
    const requestExamples = operation(doc, profile).requestBody.content['application/json'].examples;
    const responseExamples = operation(doc, profile).responses['201'].content['application/json'].examples;
    expect(Object.keys(requestExamples).length).toBeGreaterThan(5);
    for (const [name, example] of Object.entries<{ value: Record<string, unknown> }>(requestExamples)) {
      expect(problemsOf('request', example.value, profile)).toEqual([]);
      if (profile === 'beta') expect(example.value).toEqual(fixture(`create-request/valid-${name}.json`));
      else for (const [key, value] of Object.entries(example.value)) expect(fixture(`create-request/valid-${name}.json`)[key]).toEqual(value);
    }
    for (const [name, example] of Object.entries<{ value: Record<string, unknown> }>(responseExamples)) {
      expect(problemsOf('response', example.value, profile)).toEqual([]);
      if (profile === 'beta') expect(example.value).toEqual(fixture(`create-response/valid-${name}.json`));
    }
    expect(doc.components.responses.TooManyRequests.content['application/json'].examples['too-many-requests'].value).toEqual(fixture('graph-error/valid-too-many-requests.json'));
  });
});

describe('the validator is real', () => {
  it('fails a document with a dangling $ref, and one with an example its schema refuses, each for its own reason', async () => {
    const dangling = openApiDocument('beta') as Doc;
    operation(dangling, 'beta').requestBody.content['application/json'].schema.$ref = '#/components/schemas/VppTokenCreate';
    expect((await lintProblems(dangling)).join('\n')).toMatch(/no-unresolved-refs .*requestBody/);
    const wrongExample = openApiDocument('beta') as Doc;
    operation(wrongExample, 'beta').requestBody.content['application/json'].examples.full.value.vppTokenAccountType = 'String';
    const problems = await lintProblems(wrongExample);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^no-invalid-media-type-examples .*examples\/full\/value\/vppTokenAccountType/);
  });
});

// Prism takes seconds to start: all four start at once, before the tests that use them.
const prisms = new Map<string, Prism>();
let provider: ReferenceProvider;
beforeAll(async () => {
  provider = await startReferenceProvider({ port: 0 });
  const started = await Promise.allSettled(
    PROFILES.flatMap((profile) => {
      const document = join(OPENAPI_DIR, openApiFile(profile));
      return [
        startPrism('mock', document).then((prism) => prisms.set(`mock ${profile}`, prism)),
        startPrism('proxy', document, provider.url).then((prism) => prisms.set(`proxy ${profile}`, prism)),
      ];
    }),
  );
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}, 120_000);
afterAll(async () => {
  await Promise.all([...prisms.values()].map((prism) => prism.close()));
  await provider?.close();
});

describe.each(PROFILES.map((p) => [p]))('Prism on the %s document', (profile) => {
  const interactions = canonicalInteractions(profile);

  it('mocks Graph: each request of the canonical pact gets the status the pact expects, with a body the schemas accept', async () => {
    const prism = prisms.get(`mock ${profile}`)!;
    for (const spec of interactions) {
      const { url, init } = exampleRequest(spec, `${prism.url}/${profile}`);
      const answer = await fetch(url, init);
      const body = await answer.json();
      expect([spec.description, answer.status]).toEqual([spec.description, spec.response.status]);
      expect(problemsOf(answer.status === 201 ? 'response' : 'error', body, profile)).toEqual([]);
    }
  });

  it('as a validation proxy in front of the reference provider, passes the canonical pact\'s traffic clean', async () => {
    const prism = prisms.get(`proxy ${profile}`)!;
    for (const spec of interactions) {
      const { url, init } = exampleRequest(spec, `${prism.url}/${profile}`);
      const answer = await fetch(url, init);
      await answer.arrayBuffer();
      const violations = JSON.parse(answer.headers.get('sl-violations') ?? '[]') as { location: string[]; message: string }[];
      expect([spec.description, answer.status]).toEqual([spec.description, spec.response.status]);
      // Every answer of the provider is one the document allows; a request the pact means to be refused is one
      // the document refuses too, and only those.
      expect(violations.filter((v) => v.location[0] !== 'request')).toEqual([]);
      if (spec.response.status === 201) expect(violations).toEqual([]);
      else expect([spec.description, violations.length > 0]).toEqual([spec.description, true]);
    }
  });
});
