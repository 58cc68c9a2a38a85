// Outside tester Q6 (decision 0427): a create record holding the read-only `id` and `lastModifiedDateTime` was valid to
// `vppkit validate` and sent by `seed`, while check-client failed the same request ("BROKE THE CONTRACT ... is
// read-only"). A create's content is judged by one rule (createRequestProblems) wherever it is judged. Each rule
// check-client applies to a create is listed here: a rule of the record is applied by validate and seed alike (said
// by the same words); a rule of the message around it is one seed's own requests keep, shown by judging one.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { WIRE_RULES, createRequestFactory, formatProblem, readRecords, validateRecords, type Problem } from 'vpptokens-contract-kit';
import { fileSeedInputs, generatedSeedInputs, seedVppTokens } from 'vpptokens-contract-kit/seed';
import { checkClientRequest } from '../../src/judgement';

const sent = createRequestFactory.withSeed(4270).buildAt(0);
const LINES = ['Content-Type', 'application/json', 'Authorization', 'Bearer q6-access-token-0123456789'];
const READ_ONLY = 'is read-only: the service sets it (readOnly in the request schema), and may ignore it or refuse the create for it (JSON Schema Validation 2020-12 §9.4): leave it out';

/** What check-client says of a client's create with these body bytes, the body's problems as `pointer: message`. */
function checkClient(bytes: Buffer): string[] {
  const { problems } = checkClientRequest({ method: 'POST', path: '/beta/deviceAppManagement/vppTokens', headers: {}, rawHeaders: LINES, body: undefined, bytes }, 'beta', { requireSTokens: true });
  return problems.map((p) => `${p.part === 'body' ? ((p as { pointer?: string }).pointer ?? '') || '(root)' : p.where}: ${p.message}`);
}

/** What `validate` says of the record on one NDJSON line: undefined when valid, 'not JSON', or its problems. */
async function validate(line: Buffer): Promise<string[] | 'not JSON' | undefined> {
  let said: string[] | 'not JSON' | undefined;
  await validateRecords('request', readRecords(Readable.from([Buffer.concat([line, Buffer.from('\n')])]), 'ndjson'), (record, problems: Problem[]) => {
    said = record.syntaxError ? 'not JSON' : problems.map(formatProblem);
  }, 'beta');
  return said;
}

/** What `seed --from` makes of the record: the request it sends, or the problems it reports it invalid by. */
async function seedInput(line: Buffer): Promise<{ sends: boolean; invalid?: string[] }> {
  const inputs = [];
  for await (const input of fileSeedInputs(Readable.from([Buffer.concat([line, Buffer.from('\n')])]), 'ndjson', 'beta')) inputs.push(input);
  expect(inputs).toHaveLength(1);
  return { sends: inputs[0].request !== undefined, ...(inputs[0].invalid ? { invalid: inputs[0].invalid } : {}) };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Rules of a create's content: check-client, validate and seed say the same problems, by the same words. */
const contentRules: { rule: string; bytes: Buffer; says: string[] }[] = [
  { rule: 'read-only id', bytes: json({ ...sent, id: '2f6c0000-0000-0000-0000-000000000001' }), says: [`/id: ${READ_ONLY}`] },
  { rule: 'read-only id and lastModifiedDateTime, as an export of vppTokens holds them', bytes: json({ ...sent, id: '2f6c0000-0000-0000-0000-000000000001', lastModifiedDateTime: '2026-01-01T00:00:00Z' }), says: [`/id: ${READ_ONLY}`, `/lastModifiedDateTime: ${READ_ONLY}`] },
  { rule: 'a read-only property of the wrong type: the schema says it, once', bytes: json({ ...sent, id: 7 }), says: ['/id: must be a string (got 7)'] },
  { rule: 'a token that is no Apple sToken (Intune)', bytes: json({ ...sent, token: 'not-an-stoken' }), says: ['/token: is not an Apple VPP token (an sToken: base64 of {"token","expDate","orgName"}), which Intune requires'] },
  { rule: 'the schema: a value out of its enum', bytes: json({ ...sent, vppTokenAccountType: 'String' }), says: ['/vppTokenAccountType: must be one of business, education (got "String")'] },
  { rule: 'the schema: no token', bytes: json({ displayName: 'x' }), says: ['/token: is required'] },
];

describe('a create record is judged by one rule in check-client, validate and seed', () => {
  it.each(contentRules)('$rule', async ({ bytes, says }) => {
    expect(checkClient(bytes)).toEqual(says);
    expect(await validate(bytes)).toEqual(says);
    expect(await seedInput(bytes)).toEqual({ sends: false, invalid: says });
  });

  it('a correct record passes all three, and is sent', async () => {
    expect(checkClient(json(sent))).toEqual([]);
    expect(await validate(json(sent))).toBeUndefined();
    expect(await seedInput(json(sent))).toEqual({ sends: true });
  });

  it('with --schema-tokens a token that is no sToken is taken by validate and seed, as by check-client', async () => {
    const bytes = json({ ...sent, token: 'not-an-stoken' });
    const { problems } = checkClientRequest({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: LINES, body: undefined, bytes }, 'beta', { requireSTokens: false });
    expect(problems).toEqual([]);
    let invalid = 0;
    await validateRecords('request', readRecords(Readable.from([bytes]), 'ndjson'), () => invalid++, 'beta', { schemaTokens: true });
    expect(invalid).toBe(0);
    const inputs = [];
    for await (const input of fileSeedInputs(Readable.from([bytes]), 'ndjson', 'beta', { schemaTokens: true })) inputs.push(input);
    expect(inputs.map((input) => input.request !== undefined)).toEqual([true]);
  });
});

/**
 * Each rule of the one reader: one a record can break (validate refuses the record, seed never sends it), or one
 * of the message, which seed writes itself, with why a record cannot break it.
 */
const wireRules: Record<(typeof WIRE_RULES)[number], Buffer | { message: string }> = {
  'repeated header': { message: 'a header: seed writes each of its headers once' },
  'header syntax': { message: "a header: seed's headers are written by Node's client, which writes no broken line" },
  'media type': { message: 'a header: seed sends Content-Type: application/json' },
  charset: { message: 'a header: seed names no charset' },
  'bearer credentials': { message: 'a header: seed sends Authorization: Bearer, and refuses a --bearer that is no token' },
  'content coding': { message: 'a header: seed sends no Content-Encoding' },
  'decoded size': { message: 'of a coded body: seed sends no Content-Encoding, and refuses a record over its limit before the run' },
  'utf-8': Buffer.concat([Buffer.from(`{"token":"${sent.token}","displayName":"Caf`), Buffer.from([0xe9]), Buffer.from('"}')]),
  'byte order mark': { message: "of a body's start: a file's byte order mark is skipped by the one reader of records (decision 0384), and seed's bodies are JSON.stringify's" },
  'json syntax': Buffer.from(`{"token":"${sent.token}"`),
  'trailing data': Buffer.from(`{"token":"${sent.token}"} garbage`),
  'nesting depth': Buffer.from(`{"token":"${sent.token}","@Org.Example.note":${'['.repeat(64)}${']'.repeat(64)}}`),
  'duplicate name': Buffer.from(`{"token":"${sent.token}","displayName":"a","displayName":"b"}`),
  'lone surrogate': Buffer.from(`{"token":"${sent.token}","displayName":"\\ud800"}`),
  'number range': Buffer.from(`{"token":"${sent.token}","tokenActionResults":[{"totalLicensesCount":1e400}]}`),
  'content length': { message: "framing: Node's client sends the bytes its Content-Length says" },
  'transfer coding': { message: 'framing: seed sends no Transfer-Encoding but what Node writes (none, or chunked)' },
};

describe("the one reader's rules", () => {
  it('lists every one', () => {
    expect(Object.keys(wireRules).sort()).toEqual([...WIRE_RULES].sort());
  });

  it.each(Object.entries(wireRules).filter(([, c]) => Buffer.isBuffer(c)) as [string, Buffer][])('%s: refused by check-client, validate and seed alike', async (_rule, bytes) => {
    expect(checkClient(bytes)).not.toEqual([]);
    expect(await validate(bytes)).not.toBeUndefined();
    expect((await seedInput(bytes)).sends).toBe(false);
  });

  it("the message's rules are kept by the request seed sends, as check-client judges it", async () => {
    const requests: { raw: string[]; path: string; bytes: Buffer }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ raw: req.rawHeaders, path: req.url ?? '', bytes: Buffer.concat(chunks) });
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ '@odata.type': '#microsoft.graph.vppToken', id: '2f6c0000-0000-0000-0000-00000000000a', token: sent.token }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await seedVppTokens({ target: `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`, records: generatedSeedInputs({ count: 1, seed: 4270 }), bearer: 'q6-access-token-0123456789', report: () => undefined });
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(checkClientRequest({ method: 'POST', path: request.path, headers: {}, rawHeaders: request.raw, body: undefined, bytes: request.bytes }, 'beta', { requireSTokens: true }).problems).toEqual([]);
      // The same head with a coded body is refused: the check above can fail.
      expect(checkClientRequest({ method: 'POST', path: request.path, headers: {}, rawHeaders: [...request.raw, 'Content-Encoding', 'gzip'], body: undefined, bytes: gzipSync(request.bytes) }, 'beta', { requireSTokens: true }).problems).not.toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
