import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { VppTokenCreateRequest } from '../generated/types';
import { EXAMPLE_VPP_TOKEN, VPP_TOKENS_PROVIDER, createInteraction, writePact, type InteractionSpec } from '../contract';
import { checkCreateRequest, type RequestProblem } from '../judgement';
import { startReferenceProvider, type RecordedRequest } from '../provider';
import { DEFAULT_PROFILE, toProfile, type Profile } from '../schemas';

export interface CheckClientOptions {
  /** The client to run, with its arguments: any program in any language. */
  command: string;
  args?: string[];
  /** Consumer name for the Pact file written on success. */
  consumer?: string;
  provider?: string;
  /** Where the consumer's Pact file goes (`<consumer>-<provider>.json`); default ./pacts. */
  pactDir?: string;
  /** Kill the client after this many milliseconds (default 120,000). */
  timeoutMs?: number;
  /** Extra environment for the client; VPPKIT_MOCK_URL is always set. */
  env?: NodeJS.ProcessEnv;
  /**
   * The Graph profile the client's requests are judged by (default beta). With v1.0, the client may keep the
   * version prefix /v1.0 (the classic client's default) or leave it out.
   */
  profile?: Profile;
  /** `inherit` (default) lets the client print to this terminal; `pipe` collects its output in the result. */
  stdio?: 'inherit' | 'pipe';
}

export interface CheckedRequest {
  method: string;
  path: string;
  /** The status the mock answered with. */
  status: number;
  problems: RequestProblem[];
}

export interface CheckClientResult {
  passed: boolean;
  /** The client's exit code; null when it was killed (signal or timeout). */
  exitCode: number | null;
  requests: CheckedRequest[];
  /** Why the check failed as a whole (no request made, bad exit, timeout). */
  failures: string[];
  pactFile?: string;
  output?: string;
  summary: string;
}

/** A description Pact can tell apart: which properties the client sent, and which of them as null. */
function describe(body: VppTokenCreateRequest): string {
  const keys = Object.entries(body).map(([k, v]) => (v === null ? `${k} (null)` : k));
  return `a request to create a vppToken with ${keys.join(', ')}`;
}

/**
 * Runs a client against a mock of the provider and checks every request it makes against the contract.
 * Passes when the client made at least one request, every request kept the contract, and the client exited 0;
 * then writes the consumer's own Pact file from the requests it really made, with schema-derived matchers.
 */
export async function checkClient(options: CheckClientOptions): Promise<CheckClientResult> {
  const recorded: { request: RecordedRequest; status: number }[] = [];
  const profile = toProfile(options.profile ?? DEFAULT_PROFILE);
  const mock = await startReferenceProvider({ profile, onRequest: (request, status) => recorded.push({ request, status }) });
  const failures: string[] = [];
  let exitCode: number | null = null;
  let output: string | undefined;
  try {
    ({ exitCode, output } = await run(options, mock.url, failures));
  } finally {
    await mock.close();
  }
  const requests: CheckedRequest[] = recorded.map(({ request, status }) => ({
    method: request.method,
    path: request.path,
    status,
    problems: checkCreateRequest(withoutOwnVersion(request, profile), profile),
  }));
  if (requests.length === 0) failures.push('the client made no request to VPPKIT_MOCK_URL');
  if (exitCode !== 0 && exitCode !== null) failures.push(`the client exited with code ${exitCode}`);
  const broken = requests.filter((r) => r.problems.length > 0).length;
  if (broken > 0) failures.push(`${broken} of ${requests.length} request${requests.length === 1 ? '' : 's'} broke the contract`);
  const passed = failures.length === 0;

  let pactFile: string | undefined;
  if (passed) {
    const consumer = options.consumer ?? 'vpptokens-client';
    const provider = options.provider ?? VPP_TOKENS_PROVIDER;
    const pactDir = options.pactDir ?? join(process.cwd(), 'pacts');
    const specs = new Map<string, InteractionSpec>();
    for (const { request } of recorded) {
      // The client's token is a credential: the pact holds a placeholder (EXAMPLE_VPP_TOKEN) in its place.
      const body = { ...(JSON.parse(request.body!) as VppTokenCreateRequest), token: EXAMPLE_VPP_TOKEN };
      const description = describe(body);
      if (!specs.has(description)) specs.set(description, createInteraction(description, body, undefined, profile));
    }
    rmSync(join(pactDir, `${consumer}-${provider}.json`), { force: true });
    pactFile = await writePact([...specs.values()], { consumer, provider, dir: pactDir });
  }
  const summary = `${requests.length} request${requests.length === 1 ? '' : 's'} checked: ${requests.length - broken} kept the contract, ${broken} broke it; client exit code ${exitCode ?? 'none (killed)'}`;
  return { passed, exitCode, requests, failures, pactFile, output, summary };
}

/** A v1.0 client may keep its own version prefix: the path is judged without it. Beta stays as it was. */
function withoutOwnVersion(request: RecordedRequest, profile: Profile): RecordedRequest {
  const prefix = `/${profile}/`;
  return profile !== DEFAULT_PROFILE && request.path.toLowerCase().startsWith(prefix) ? { ...request, path: request.path.slice(prefix.length - 1) } : request;
}

function run(options: CheckClientOptions, mockUrl: string, failures: string[]): Promise<{ exitCode: number | null; output?: string }> {
  return new Promise((resolve) => {
    const pipe = options.stdio === 'pipe';
    const child = spawn(options.command, options.args ?? [], {
      env: { ...process.env, ...options.env, VPPKIT_MOCK_URL: mockUrl },
      stdio: pipe ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      failures.push(`the client did not finish within ${timeoutMs / 1000} s and was stopped`);
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      failures.push(error.code === 'ENOENT' ? `command not found: ${options.command}` : `could not start ${options.command}: ${error.message}`);
      resolve({ exitCode: null, output: pipe ? output : undefined });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output: pipe ? output : undefined });
    });
  });
}
