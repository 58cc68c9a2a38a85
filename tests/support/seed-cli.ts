// Helpers for the seed CLI tests: report files, seed targets and vppkit children that each test cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli';
import { startSeedTarget, type Decision, type SeedTarget } from './seed-target';

export const dir = mkdtempSync(join(tmpdir(), 'vppkit-seed-'));
let n = 0;
/** A fresh report path in its own folder, so no test sees another's report. */
export const reportPath = () => {
  const folder = join(dir, `run-${n++}`);
  mkdirSync(folder);
  return join(folder, 'report.ndjson');
};

export type Line = { index: number; status: string; id?: string; attempts?: number; reason?: string; code?: string };
/** The report's first line, and the state of each record: its last line. */
/** A report's header and each record's last line; a line torn by a full disk or a kill is skipped, as `--resume` skips it. */
export function readReport(file: string) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const torn = (line: string, n: number) => n < lines.length - 1 && !line.endsWith('}');
  const [header, ...rest] = lines.filter((line, n) => !torn(line, n)).map((l) => JSON.parse(l) as Record<string, unknown>);
  const states = new Map<number, Line>();
  for (const line of rest as unknown as Line[]) states.set(line.index, line);
  return { header: header as { vppkitSeedReport: number; run: Record<string, unknown> }, final: [...states.values()].sort((a, b) => a.index - b.index) };
}
export const range = (count: number) => Array.from({ length: count }, (_, i) => i);
/** stderr's lines, without the note that no bearer was given. */
export const stderrLines = (text: string) => text.trim().split('\n').filter((l) => !l.startsWith('seed: no --bearer'));
export const created = (t: SeedTarget) => ({ count: t.created.length, distinct: new Set(t.created).size });

const targets: SeedTarget[] = [];
export async function target(decide: (n: number, token: string) => Decision, tls?: { key: string; cert: string }) {
  const t = await startSeedTarget(decide, 0, 0, tls);
  targets.push(t);
  return t;
}

const children: { child: ChildProcess; closed: Promise<unknown> }[] = [];
/** Starts vppkit without waiting for it: signals can be sent to `child`. */
/** The bin as a process of its own; `fileBlocks` limits the size of any file it writes (bash's `ulimit -f`, 1 KiB blocks: a disk that fills). */
export function start(args: string[], { fileBlocks }: { fileBlocks?: number } = {}) {
  const child =
    fileBlocks === undefined
      ? spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -f ${fileBlocks}; exec "$0" "$@"`, process.execPath, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '', code: new Promise<number | null>((resolve) => child.on('close', resolve)) };
  children.push({ child, closed: out.code });
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
  return { child, out };
}

/** Kills the children still running and waits until each has exited and closed its pipes, then closes the targets; call in afterEach. */
export async function cleanUp() {
  const running = children.splice(0);
  for (const { child } of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // A child not waited for outlives the test file and keeps jest's worker from exiting ("failed to exit gracefully").
  await Promise.all(running.map(({ closed }) => closed));
  await Promise.all(targets.splice(0).map((t) => t.close()));
}

export async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}

export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
