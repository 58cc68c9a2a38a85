// An answer's Content-Type is read by verify as by conform (outside tester J14, decision 0233): RFC 9110 §5.6.6
// allows whitespace (spaces and tabs) around ";" and an empty parameter, and both `application/json;<TAB>odata.
// metadata=minimal` and `application/json;;charset=utf-8` are application/json. Pact's verifier reads them as
// text/plain, so the forwarder hands Pact the same media type written plainly when the kit's one rule says JSON;
// a content type that is not JSON still fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePacts } from '../../src/compare';
import { canonicalPact, verifyProvider } from '../../src/verification';
import { plainJsonMediaType } from '../../src/wire';
import { startReferenceProvider, type ReferenceProvider } from '../../src/provider';
import { frontOf, verifiedThrough } from '../support/front';

/** The reference provider behind a front that sends every answer with `contentType` instead of its own. */
async function contentTypeFront(target: ReferenceProvider, contentType: string) {
  return frontOf(target, (req, res, body) => {
    const out = request(`${target.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const raw = answer.rawHeaders;
      const headers: string[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) headers.push(raw[i], raw[i].toLowerCase() === 'content-type' ? contentType : raw[i + 1]);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    out.end(body);
    return true;
  });
}

let target: ReferenceProvider;
beforeAll(async () => {
  target = await startReferenceProvider();
});
afterAll(async () => {
  await target.close();
});

describe('verify reads an answer Content-Type as the kit does', () => {
  it.each(['application/json;\todata.metadata=minimal', 'application/json;;charset=utf-8', 'application/json; odata.metadata=minimal ;\tcharset=utf-8'])(
    'passes a provider answering with the legal JSON media type %j (RFC 9110 §5.6.6)',
    async (contentType) => {
      const verified = await verifiedThrough(await contentTypeFront(target, contentType), { interaction: 'every property' });
      expect(verified.interactions.flatMap((i) => [...i.mismatches, ...i.answerProblems])).toEqual([]);
      expect(verified.passed).toBe(true);
    },
  );

  it('fails a provider answering JSON as text/plain: handed to Pact as it came, its header and body mismatches', async () => {
    const verified = await verifiedThrough(await contentTypeFront(target, 'text/plain;charset=utf-8'), { interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].pactMismatches).toEqual([
      expect.stringMatching(/^header Content-Type: Mismatch with header 'Content-Type': Expected 'text\/plain;charset=utf-8' to match/),
      "body: Expected a body of 'application/json' but the actual content type was 'text/plain;charset=utf-8'",
    ]);
  });

  it('still judges the header as the provider sent it: whitespace before the first ";" fails in the kit’s words (decision 0130)', async () => {
    const verified = await verifiedThrough(await contentTypeFront(target, 'application/json ;\tcharset=utf-8'), { interaction: 'every property' });
    expect(verified.passed).toBe(false);
    expect(verified.interactions[0].pactMismatches).toEqual([]);
    expect(verified.interactions[0].answerProblems).toEqual([expect.objectContaining({ check: 'content type', where: 'header Content-Type' })]);
  });
});

describe('plainJsonMediaType', () => {
  it('writes a JSON media type without optional whitespace or empty parameters, the same parameters in order', () => {
    expect(plainJsonMediaType('application/json;\todata.metadata=minimal')).toBe('application/json;odata.metadata=minimal');
    expect(plainJsonMediaType('application/json;;charset=utf-8')).toBe('application/json;charset=utf-8');
    expect(plainJsonMediaType(' application/json ; a=b ;; c="x; d=e" ;')).toBe('application/json;a=b;c="x; d=e"');
    expect(plainJsonMediaType('application/json')).toBe('application/json');
  });

  it('is undefined for what is not JSON', () => {
    expect(plainJsonMediaType('text/plain;charset=utf-8')).toBeUndefined();
    expect(plainJsonMediaType('application/json;charset')).toBeUndefined();
    expect(plainJsonMediaType(undefined)).toBeUndefined();
  });
});

// Outside attacker R116 (decision 1000): Pact takes a body's content type from the expected Content-Type and compares
// it whole with the answer's. compare models it; verify's verdict (Pact's own) against the reference provider holds it.
describe('a pact expecting a Content-Type Pact takes for the header but not for the body', () => {
  const ONLY = 'a request to create a vppToken with only its token';
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-body-type-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pactExpecting = (contentType: string) => {
    const pact = JSON.parse(readFileSync(canonicalPact('beta'), 'utf8'));
    pact.interactions = pact.interactions.filter((i: { description: string }) => i.description === ONLY);
    delete pact.interactions[0].response.matchingRules.header['Content-Type'];
    pact.interactions[0].response.headers['Content-Type'] = contentType;
    delete pact.interactions[0].response.body.contentType; // else Pact takes the V4 body's own (application/json)
    const file = join(dir, `${contentType.replace(/\W/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(pact));
    return file;
  };

  it.each([
    ['application/json; charset=utf-8', false],
    ['application/json', true],
  ])('%j: compare and Pact (verify against the reference provider) agree, passing %s', async (contentType, passes) => {
    const file = pactExpecting(contentType);
    const compared = await comparePacts([file], { comparator: false });
    const verified = await verifyProvider({ providerBaseUrl: `${target.url}/beta`, pactFiles: [file] });
    expect(compared.passed).toBe(passes);
    expect(verified.passed).toBe(passes);
    expect(verified.interactions.flatMap((i) => i.pactMismatches)).toEqual(
      passes ? [] : ["body: Expected a body of 'application/json;charset=utf-8' but the actual content type was 'application/json;charset=utf-8;ieee754compatible=false;odata.metadata=minimal;odata.streaming=true'"],
    );
  });
});
