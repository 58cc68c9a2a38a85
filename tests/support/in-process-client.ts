// check-client with its client run in this process (decision 0710): the mock, the judgement, the behaviour checks
// and the pact are checkClient's own (checkClientRun); only the client's process is left out, whose start cost more
// CPU than the requests it sent. For a test of what check-client says of a client's requests. A test of the process
// (its exit code read, a signal, a start error, its output, its group stopped) runs it: tests/client-check/process.test.ts.
import { Agent } from 'node:http';
import { checkClientRun } from '../../src/client-check/check-client';
import type { CheckClientOptions, CheckClientResult } from 'vpptokens-contract-kit/provider';

/** What the client does with the mock's URL, resolving to its exit code (0 for success); `agent` is its own. */
export type InProcessClient = (mockUrl: string, agent: Agent) => Promise<number>;

/**
 * Runs `client` against check-client's mock and resolves to check-client's verdict. The client gets an HTTP agent of
 * its own, kept alive as a Node process's global agent is, and closed when it is done, as a process's sockets close
 * when it exits. A client that throws is a client that crashed: exit code 1, as Node's for an uncaught error.
 */
export function checkInProcess(options: Omit<CheckClientOptions, 'command' | 'args' | 'stdio' | 'output'>, client: InProcessClient): Promise<CheckClientResult> {
  return checkClientRun({ ...options, command: 'in-process', stdio: 'pipe' }, async (mockUrl) => {
    const agent = new Agent({ keepAlive: true });
    try {
      const exitCode = await client(mockUrl, agent).catch(() => 1);
      return { exitCode, signal: null, timedOut: false, output: '' };
    } finally {
      agent.destroy();
    }
  });
}
