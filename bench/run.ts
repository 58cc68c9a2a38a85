/**
 * npm run bench: ratios measured side by side in one run (never in tests). Prints a table; the README keeps
 * the numbers of one run with the machine they came from.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { faker } from '@faker-js/faker';
import {
  createRequestFactory,
  generateText,
  isValid,
  readRecords,
  resolveRef,
  schemaFor,
  validateRecords,
  type JsonSchema,
} from '../src';
import { generatedSeedInputs, seedVppTokens } from '../src/seed';
import { conform } from '../src/conform';
import { redact } from '../src/net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsf = require('json-schema-faker');

const BIN = join(__dirname, '..', 'bin', 'vppkit.js');
const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[][] = [];
const row = (...cells: string[]) => {
  rows.push(cells);
  console.log(cells.join(' | '));
};

/** The request schema with its $refs inlined for json-schema-faker, which does not resolve our relative refs.
 * DateTimeOffset keeps its format and loses its pattern: from both, jsf builds impossible dates and throws. */
function inline(schema: JsonSchema): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const obj = node as JsonSchema;
    if (typeof obj.$ref === 'string') return walk(resolveRef(obj.$ref));
    const drop = (k: string) => k === '$id' || k === '$schema' || (k === 'pattern' && 'format' in obj);
    return Object.fromEntries(Object.entries(obj).filter(([k]) => !drop(k)).map(([k, v]) => [k, walk(v)]));
  };
  return walk(schema) as JsonSchema;
}

function benchGenerate(): void {
  const n = Math.round(200_000 * scale);
  const nJsf = Math.round(10_000 * scale);
  const schema = inline(schemaFor('request'));
  faker.seed(1);
  jsf.option({ random: () => faker.number.float(), alwaysFakeOptionals: true, failOnInvalidTypes: false });
  const records = createRequestFactory.withSeed(1).buildList(n);
  const ours: number[] = [];
  const ceiling: number[] = [];
  const schemaFaker: number[] = [];
  for (let round = 0; round < 3; round++) {
    ours.push(n / time(() => {
      let bytes = 0;
      for (const chunk of generateText({ count: n, seed: 1 })) bytes += chunk.length;
      if (bytes === 0) throw new Error('nothing generated');
    }));
    ceiling.push(n / time(() => {
      let chunk = '';
      let bytes = 0;
      for (const r of records) {
        chunk += `${JSON.stringify(r)}\n`;
        if (chunk.length >= 65536) {
          bytes += chunk.length;
          chunk = '';
        }
      }
      if (bytes + chunk.length === 0) throw new Error('nothing written');
    }));
    schemaFaker.push(nJsf / time(() => {
      let bytes = 0;
      for (let i = 0; i < nJsf; i++) bytes += JSON.stringify(jsf.generate(schema)).length + 1;
      if (bytes === 0) throw new Error('nothing generated');
    }));
  }
  row('generate (NDJSON to a sink)', `${fmt(median(ours))} records/s`, `json-schema-faker ${fmt(median(schemaFaker))}/s: ${(median(ours) / median(schemaFaker)).toFixed(1)}x (aim 30x)`, `JSON.stringify ceiling ${fmt(median(ceiling))}/s: ${((100 * median(ours)) / median(ceiling)).toFixed(0)}% (aim 50%)`);
}

async function benchValidate(): Promise<void> {
  const n = Math.round(200_000 * scale);
  const text = [...generateText({ count: n, seed: 2, traits: ['full'] })].join('');
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
  const ours: number[] = [];
  const ceiling: number[] = [];
  for (let round = 0; round < 3; round++) {
    ours.push(n / (await timeAsync(async () => {
      const summary = await validateRecords('request', readRecords(Readable.from(chunks), 'auto'), () => undefined);
      if (summary.valid !== n) throw new Error(`expected ${n} valid, got ${summary.valid}`);
    })));
    ceiling.push(n / time(() => {
      let valid = 0;
      for (const line of text.split('\n')) if (line && isValid('request', JSON.parse(line))) valid++;
      if (valid !== n) throw new Error('not all valid');
    }));
  }
  row('validate (NDJSON, streamed)', `${fmt(median(ours))} records/s`, `JSON.parse + compiled ajv ceiling ${fmt(median(ceiling))}/s: ${((100 * median(ours)) / median(ceiling)).toFixed(0)}% (aim 70%)`, '');
}

async function startServe(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString().trim().replace('listening on ', ''))));
  return { url, stop: () => child.kill('SIGTERM') };
}

/** The provider's raw capacity: `n` valid creates over `concurrency` keep-alive connections, per second. */
async function rawCreates(url: string, bodies: string[], n: number, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(`${url}/deviceAppManagement/vppTokens`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        if (res.statusCode !== 201) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    return n / (await timeAsync(() => Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) await post(bodies[next++ % bodies.length]);
    }))));
  } finally {
    agent.destroy();
  }
}

async function benchSeed(): Promise<void> {
  const n = Math.round(20_000 * scale);
  const concurrency = 8;
  const server = await startServe();
  try {
    const bodies = createRequestFactory.withSeed(3).buildList(2_000).map((r) => JSON.stringify(r));
    const raw: number[] = [];
    const seeded: number[] = [];
    for (let round = 0; round < 3; round++) {
      raw.push(await rawCreates(server.url, bodies, n, concurrency));
      let created = 0;
      seeded.push(n / (await timeAsync(async () => {
        const summary = await seedVppTokens({ target: server.url, records: generatedSeedInputs({ count: n, seed: 3 + round }), concurrency, bearer: 'bench', report: () => undefined });
        created = summary.created;
      })));
      if (created !== n) throw new Error(`seed created ${created} of ${n}`);
    }
    row('seed (reference provider, 8 in flight)', `${fmt(median(seeded))} creates/s`, `plain keep-alive loop ${fmt(median(raw))}/s: ${((100 * median(seeded)) / median(raw)).toFixed(0)}%`, '');
  } finally {
    server.stop();
  }
}

/**
 * conform's default run against the reference provider (in its own process): requests judged per second, next
 * to the provider's raw capacity for plain valid creates at the same concurrency.
 */
async function benchConform(): Promise<void> {
  const bodies = createRequestFactory.withSeed(4).buildList(2_000).map((r) => JSON.stringify(r));
  const judged: number[] = [];
  const sent: number[] = [];
  const raw: number[] = [];
  let cases = 0;
  let seconds = 0;
  for (let round = 0; round < 3; round++) {
    // A fresh provider each round, so that conform reads back a collection of its own size.
    const server = await startServe();
    try {
      const result = await conform({ providerBaseUrl: server.url, seed: 1 + round, runs: 200, concurrency: 16 });
      if (!result.passed) throw new Error(`conform failed against the reference provider: ${result.summary}`);
      seconds = result.durationMs / 1000;
      cases = result.cases;
      judged.push(result.cases / seconds);
      sent.push(result.requests / seconds);
      raw.push(await rawCreates(server.url, bodies, Math.round(10_000 * scale), 16));
    } finally {
      server.stop();
    }
  }
  row(
      'conform (default run, reference provider, 16 in flight)',
      `${fmt(median(judged))} requests judged/s (${fmt(median(sent))} sent/s, read-back included; ${cases} in ${seconds.toFixed(1)} s)`,
      `raw capacity ${fmt(median(raw))} creates/s: ${((100 * median(sent)) / median(raw)).toFixed(0)}%`,
      '',
  );
}


/**
 * CPU seconds (user+sys) of every child this process has waited for, from /proc/self/stat (Linux); undefined
 * elsewhere. Read before and after a run, it gives the run's own CPU, its children's included (npm start's worker).
 */
function childrenCpu(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** One run of a command, start to exit (stdout and stderr discarded): wall seconds and CPU seconds; throws unless it exits `expect`. */
function wall(command: string, args: string[], expect = 0): { wall: number; cpu: number | undefined } {
  const cpuBefore = childrenCpu();
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = childrenCpu();
  if (child.status !== expect) throw new Error(`${command} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return { wall: seconds, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/**
 * Start-up and verification, from start to exit, median of 7, the commands taken in turn so that a busy machine
 * slows each alike: a bare Node start, `vppkit --version`, `vppkit validate` of one record, `npm start` (verify
 * of the canonical contract against the embedded provider), and verify of the same pact against the same provider
 * (`vppkit serve` in its own process) by vppkit and by Pact's own Rust verifier (`pact verifier` of
 * @pact-foundation/pact-cli's standalone binary). Each row gives wall time and CPU time (user+sys of the command
 * and its children): on a shared machine wall time follows the load, CPU time much less.
 */
/**
 * The one redaction (src/net) over a 4 MB answer body (Graph's limit) holding an sToken at its end, and over 4 MB
 * of base64 (the worst case for a run matcher: every position may start a run), against one case-insensitive
 * search of the same text for the token as it is (lower-case the text, indexOf): the least any redaction reads.
 */
function benchRedact(): void {
  const bytes = Math.round(4 * 2 ** 20 * scale);
  const token = createRequestFactory.withSeed(3).build().token;
  let records = '';
  for (const r of createRequestFactory.withSeed(4).buildList(2000)) records += `${JSON.stringify(r)},`;
  const bodies: [string, string][] = [
    ['JSON', `[${records.repeat(Math.ceil(bytes / records.length)).slice(0, bytes)}"${token}"]`],
    ['base64', Buffer.from(Uint8Array.from({ length: Math.floor((bytes * 3) / 4) }, (_, i) => Math.imul(i, 2654435761) >>> 24)).toString('base64') + token],
  ];
  for (const [name, body] of bodies) {
    const ours: number[] = [];
    const search: number[] = [];
    for (let round = 0; round < 3; round++) {
      ours.push(time(() => {
        if (!redact(body, { values: [token] }).endsWith('[token]"]') && name === 'JSON') throw new Error('the token was not hidden');
      }));
      search.push(time(() => {
        if (body.toLowerCase().indexOf(token.toLowerCase()) < 0) throw new Error('no token');
      }));
    }
    const mb = body.length / 2 ** 20;
    row(`redact (${mb.toFixed(1)} MB of ${name}, an sToken at its end)`, `${(mb / median(ours)).toFixed(0)} MB/s (${(median(ours) * 1000).toFixed(0)} ms)`, `lower-case + indexOf of the token ${(mb / median(search)).toFixed(0)} MB/s: ${(median(ours) / median(search)).toFixed(1)}x its time`, '');
  }
}

/**
 * `vppkit compare` of one pact and of six in one run (the canonical beta and v1.0 pacts, three copies each), the two
 * commands in turn, median CPU of 5: what each further pact costs once the command has started (decision 0350).
 */
function benchCompare(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-bench-'));
  try {
    const pacts = join(__dirname, '..', 'pacts');
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const [name, pact] of [['beta', 'vppkit-canonical-consumer-microsoft-graph-vpptokens.json'], ['v1', 'vppkit-canonical-consumer-v1.0-microsoft-graph-vpptokens.json']]) {
        files.push(join(dir, `${name}-${i}.json`));
        writeFileSync(files[files.length - 1], readFileSync(join(pacts, pact)));
      }
    }
    const one: number[] = [];
    const six: number[] = [];
    for (let round = 0; round < 5; round++) {
      one.push(wall(process.execPath, [BIN, 'compare', files[0]]).cpu ?? NaN);
      six.push(wall(process.execPath, [BIN, 'compare', ...files]).cpu ?? NaN);
    }
    const each = (median(six) - median(one)) / 5;
    row('compare (vppkit compare, CPU)', `1 pact ${median(one).toFixed(2)} s, 6 pacts in one run ${median(six).toFixed(2)} s`, `each further pact ${(each * 1000).toFixed(0)} ms (${(each / median(one) * 100).toFixed(0)}% of one run)`, `load average ${loadavg()[0].toFixed(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchStartup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-bench-'));
  const record = join(dir, 'one.json');
  writeFileSync(record, `${JSON.stringify(createRequestFactory.withSeed(1).buildAt(0))}\n`);
  const server = await startServe();
  const pact = join(__dirname, '..', 'pacts', 'vppkit-canonical-consumer-microsoft-graph-vpptokens.json');
  const port = new URL(server.url).port;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pactBinary: string = require('@pact-foundation/pact-cli/src/pact-standalone').standalone().pactFullPath;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const commands: [string, string, string[]][] = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['vppkit --version', process.execPath, [BIN, '--version']],
    ['vppkit validate (one record)', process.execPath, [BIN, 'validate', record]],
    ['npm start (vppkit verify, embedded provider)', npm, ['start', '--silent']],
    ['vppkit verify (pact file, provider in another process)', process.execPath, [BIN, 'verify', '--provider-base-url', `${server.url}/beta`, pact]],
    ["Pact's Rust verifier (same pact, same provider)", pactBinary, ['verifier', '--file', pact, '--hostname', '127.0.0.1', '--port', port, '--base-path', '/beta', '--provider-name', 'microsoft-graph-vpptokens', '--loglevel', 'error']],
  ];
  const walls = commands.map(() => [] as number[]);
  const cpus = commands.map(() => [] as number[]);
  try {
    for (let round = 0; round < (quick ? 3 : 7); round++) {
      commands.forEach(([, command, args], i) => {
        const run = wall(command, args);
        walls[i].push(run.wall);
        if (run.cpu !== undefined) cpus[i].push(run.cpu);
      });
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const bare = median(walls[0]);
  const interactions = (JSON.parse(readFileSync(pact, 'utf8')) as { interactions: unknown[] }).interactions.length;
  commands.forEach(([name], i) => {
    const m = median(walls[i]);
    const cpu = cpus[i].length ? `, CPU ${median(cpus[i]).toFixed(2)} s` : '';
    row(`start-up: ${name}`, `${m.toFixed(2)} s wall${cpu}`, i === 0 ? `load average ${loadavg()[0].toFixed(1)}` : `${(m / bare).toFixed(1)}x node -e 0${i >= 3 ? `; ${interactions} interactions` : ''}`, '');
  });
}

function peakMemory(args: string[], input?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const producer = input ? spawn(process.execPath, [BIN, ...input], { stdio: ['ignore', 'pipe', 'inherit'] }) : undefined;
    const child = spawn(process.execPath, ['--require', join(__dirname, 'maxrss.js'), BIN, ...args], { stdio: [producer ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    if (producer) producer.stdout!.pipe(child.stdin!);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', () => {
      const kb = /maxrss-kb (\d+)/.exec(stderr);
      if (kb) resolve(Number(kb[1]) / 1024);
      else reject(new Error(stderr));
    });
  });
}

async function benchMemory(): Promise<void> {
  const n = String(Math.round(1_000_000 * scale));
  const generate = await peakMemory(['generate', '--count', n, '--out', '/dev/null']);
  const validate = await peakMemory(['validate', '-'], ['generate', '--count', n]);
  row(`peak memory at ${fmt(Number(n))} records`, `generate ${generate.toFixed(0)} MB`, `validate ${validate.toFixed(0)} MB`, 'aim under 150 MB each');
}

async function main(): Promise<void> {
  if (process.argv.includes('--startup')) {
    await benchStartup();
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  if (process.argv.includes('--redact')) {
    benchRedact();
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  if (process.argv.includes('--compare')) {
    benchCompare();
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  if (process.argv.includes('--conform')) {
    await benchConform();
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  console.log(`vppkit bench on Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB${quick ? ' (quick: a tenth of the sizes)' : ''}`);
  benchGenerate();
  await benchValidate();
  await benchSeed();
  benchRedact();
  await benchConform();
  benchCompare();
  await benchMemory();
  await benchStartup();
  console.log('\n| benchmark | result | against | |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
