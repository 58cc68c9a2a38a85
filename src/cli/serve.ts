import type { Command } from 'commander';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_FAIL_WITH,
  DEFAULT_MAX_TOKENS,
  FAILURE_KINDS,
  FaultOptionError,
  parseFailRate,
  parseFailWith,
  parseLatency,
  parseRateLimit,
  startReferenceProvider,
  type FaultOptions,
} from '../provider';
import { UsageError, parseInteger } from './errors';

/** A fault option's parser whose mistakes are usage errors naming the option. */
function faultOption<T>(name: string, parse: (text: string) => T) {
  return (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof FaultOptionError) throw new UsageError(`${name} ${error.message}`);
      throw error;
    }
  };
}

/** What commander parses: the fault options have the library's names and shapes. */
interface ServeOptions extends FaultOptions {
  port: number;
  host: string;
  bodyLimit: number;
  maxTokens: number;
  quiet?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the reference provider: an in-memory server that answers POST /deviceAppManagement/vppTokens as Graph does')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <bytes>', 'largest request body accepted (413 above it)', parseInteger('--body-limit', 1), DEFAULT_BODY_LIMIT)
    .option('--max-tokens <n>', 'most vppTokens kept; a create beyond it gets 507', parseInteger('--max-tokens', 1), DEFAULT_MAX_TOKENS)
    .option('--fail-rate <r>', 'share of requests (0 to 1) answered with a failure instead', faultOption('--fail-rate', parseFailRate))
    .option('--fail-with <kinds>', `what the failures are drawn from, of ${FAILURE_KINDS.join(',')} (default ${DEFAULT_FAIL_WITH.join(',')})`, faultOption('--fail-with', parseFailWith))
    .option('--rate-limit <n/seconds>', 'N requests per window of SECONDS, then 429 with Retry-After until the window ends', faultOption('--rate-limit', parseRateLimit))
    .option('--latency <ms>', 'milliseconds before each answer: MS, or MIN-MAX drawn per request', faultOption('--latency', parseLatency))
    .option('--seed <n>', 'seed of the failure and latency draws (default: random, printed)', parseInteger('--seed', 0, 2 ** 32 - 1))
    .option('--retry-after <seconds>', 'Retry-After on a drawn 429 or 503 (default 1)', parseInteger('--retry-after', 0, 3600))
    .option('--quiet', 'do not log one line per request')
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

Faults on demand hit authenticated requests to these routes; a faulted request creates nothing, except
504-after-create (the vppToken is stored, then 504) and reset-after-create (stored, then the connection is
reset without an answer), which hit only creates. The same --seed and the same sequence of requests give the
same failures and latencies.

Examples:
  vppkit serve --port 0
  vppkit serve --fail-rate 0.2 --fail-with 429,503 --seed 7      # one request in five fails
  vppkit serve --rate-limit 10/1 --latency 50-300                # throttled and slow
  vppkit serve --fail-rate 0.2 --fail-with 504-after-create      # created, then 504: does the client create twice?`,
    )
    .action(async (opts: ServeOptions) => {
      if (opts.failWith && opts.failRate === undefined) throw new UsageError('--fail-with needs --fail-rate: it says which kinds the failures are drawn from');
      if (opts.retryAfter !== undefined && opts.failRate === undefined) throw new UsageError('--retry-after needs --fail-rate: it is the Retry-After of a drawn 429 or 503');
      const { port, host, bodyLimit, maxTokens, quiet, ...faultOptions } = opts;
      const faults: FaultOptions | undefined = opts.failRate !== undefined || opts.rateLimit || opts.latency !== undefined ? faultOptions : undefined;
      if (opts.seed !== undefined && !faults) throw new UsageError('--seed needs --fail-rate, --rate-limit or --latency: it seeds their draws');
      const provider = await startReferenceProvider({
        port,
        host,
        bodyLimit,
        maxTokens,
        faults,
        // Nobody reads it back from here, and a long-running server would only grow.
        recordTraffic: false,
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
