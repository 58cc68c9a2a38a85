// One real SDK client process for a whole test file (the script's --lines mode): each test sends its request to its
// own mock server through the same process, so the SDK loads once, not once per interaction. The process is the
// application; a request it could not make as expected comes back as a rejection with the client's reason.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ClientProcess {
  /**
   * Sends `body` to `url` as a create and resolves to the client's outcome line ("created <id>", "refused with ...");
   * `version` is the classic client's defaultVersion for this create (its GRAPH_VERSION otherwise).
   */
  create(url: string, body: unknown, status: number, auth: boolean, version?: string): Promise<string>;
  close(): Promise<void>;
}

export function startClient(script: string, env: NodeJS.ProcessEnv = {}): ClientProcess {
  const child = spawn(process.execPath, [script, '--lines'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  void exited.then(() => waiting.splice(0).forEach((answer) => answer('failed: the client process exited')));
  let queue = Promise.resolve();
  return {
    create(url, body, status, auth, version) {
      // One request at a time, in the order the tests ask.
      const outcome = queue.then(
        () =>
          new Promise<string>((resolve, reject) => {
            waiting.push((line) => (line.startsWith('failed: ') ? reject(new Error(line.slice('failed: '.length))) : resolve(line)));
            child.stdin!.write(`${JSON.stringify({ url, body, status, auth, version })}\n`);
          }),
      );
      queue = outcome.then(
        () => undefined,
        () => undefined,
      );
      return outcome;
    },
    async close() {
      child.stdin!.end();
      await exited;
    },
  };
}
