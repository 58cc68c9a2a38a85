import type { Command } from 'commander';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_TOKENS, startReferenceProvider, type FaultOptions } from '../provider';
import { UsageError, parseInteger } from './errors';
import { addFaultOptions, faultsFrom } from './faults';

/** What commander parses: the fault options have the library's names and shapes. */
interface ServeOptions extends FaultOptions {
  port: number;
  host: string;
  bodyLimit: number;
  maxTokens: number;
  quiet?: boolean;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('Run the reference provider: an in-memory server that answers POST /deviceAppManagement/vppTokens as Graph does')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <bytes>', 'largest request body accepted (413 above it)', parseInteger('--body-limit', 1), DEFAULT_BODY_LIMIT)
    .option('--max-tokens <n>', 'most vppTokens kept; a create beyond it gets 507', parseInteger('--max-tokens', 1), DEFAULT_MAX_TOKENS)
    .option('--quiet', 'do not log one line per request');
  addFaultOptions(command)
    .addHelpText(
      'after',
      `
The first line of output is "listening on http://HOST:PORT" (then "faults: ..." when any are asked for).
Routes, also under /beta and /v1.0:
  POST /deviceAppManagement/vppTokens          create (201, or Graph's error body: 400 401 413 415 507)
  GET  /deviceAppManagement/vppTokens?$top=N   list, paged with @odata.nextLink ($skiptoken)
  GET  /deviceAppManagement/vppTokens/{id}     one vppToken
Any Bearer token is accepted; without one every path gets 401. Other query options ($filter, $skip, $select...)
get 400. Token values are never logged. Stop with Ctrl-C.

Faults on demand hit authenticated requests to these routes; a faulted request creates nothing. The same
--seed and the same sequence of requests give the same failures and latencies.

Examples:
  vppkit serve --port 0
  vppkit serve --fail-rate 0.2 --fail-with 429,503 --seed 7      # one request in five fails
  vppkit serve --rate-limit 10/1 --latency 50-300                # throttled and slow`,
    )
    .action(async (opts: ServeOptions) => {
      const { port, host, bodyLimit, maxTokens, quiet, ...faultOptions } = opts;
      const faults = faultsFrom(faultOptions);
      const provider = await startReferenceProvider({
        port,
        host,
        bodyLimit,
        maxTokens,
        faults,
        log: quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use: choose another with --port, or --port 0 for a free one`);
        if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new UsageError(`cannot listen on --host ${opts.host}: no such local address`);
        throw error;
      });
      process.stdout.write(`listening on ${provider.url}\n`);
      if (provider.faults) process.stdout.write(`${provider.faults.description}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void provider.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
