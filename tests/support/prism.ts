import { spawn } from 'node:child_process';

const PRISM = require.resolve('@stoplight/prism-cli/dist/index.js');

export interface Prism {
  url: string;
  close: () => Promise<void>;
}

/**
 * Starts Stoplight Prism on 127.0.0.1 with a port of the system's choice: `mock` answers from the document,
 * `proxy` forwards to `upstream` and validates requests and answers against it (violations in `sl-violations`).
 */
export async function startPrism(mode: 'mock' | 'proxy', document: string, upstream?: string): Promise<Prism> {
  const args = [PRISM, mode, '-h', '127.0.0.1', '-p', '0', document, ...(upstream ? [upstream] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
