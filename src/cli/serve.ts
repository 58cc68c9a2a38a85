import type { Command } from 'commander';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_STORED_BYTES, DEFAULT_MAX_TOKENS, startReferenceProvider } from '../provider';
import type { CliContext } from './context';
import { EXIT, UsageError, parseBytes, parseInteger } from './errors';
import { addFaultOptions, faultOptionsOf, type FaultFlags } from './faults';

/** What commander parses: the fault options have the library's names and shapes. */
interface ServeOptions extends FaultFlags {
  port: number;
  host: string;
  bodyLimit: number;
  maxTokens: number;
  maxStoredBytes: number;
  quiet?: boolean;
}

export function registerServe(program: Command, ctx: CliContext): void {
  const command = program
    .command('serve')
    .description('Run the reference provider: an in-memory server that answers POST /deviceAppManagement/vppTokens as Graph does')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <bytes>', "largest request body accepted (413 above it), in bytes or with KiB/MiB as conform's and the proxy's; default Graph's 4 MB (4MiB)", parseBytes('--body-limit'), DEFAULT_BODY_LIMIT)
    .option('--max-tokens <n>', 'most vppTokens kept; a create beyond it gets 507', parseInteger('--max-tokens', 1), DEFAULT_MAX_TOKENS)
    .option('--max-stored-bytes <n>', 'most bytes of create requests kept, in bytes or with KiB/MiB/GiB (default 256MiB); a create that would pass it gets 507', parseBytes('--max-stored-bytes'), DEFAULT_MAX_STORED_BYTES);
  addFaultOptions(command)
    .option('--quiet', 'do not log one line per request')
    .addHelpText(
      'after',
      `
The first line of output is "listening on http://HOST:PORT" (then "faults: ..." when any are asked for).
Routes, also under /beta and /v1.0:
  POST /deviceAppManagement/vppTokens          create (201, or Graph's error body: 400 401 413 415 507)
  GET  /deviceAppManagement/vppTokens          list, paged with @odata.nextLink ($top, $skiptoken)
  GET  /deviceAppManagement/vppTokens/{id}     one vppToken
  GET  /deviceAppManagement/vppTokens/$count   how many (text/plain)
Any Bearer token is accepted; without one every path gets 401. The query options Graph gives each route are
answered: $select, $filter, $orderby, $count, $skip, $expand=*, $format=json; a malformed value gets 400 saying
why, another $format 406, and what the mock does not model ($search, lambdas) 501. Token values are never
logged. Stop with Ctrl-C.

Faults on demand hit authenticated requests to these routes; a faulted request creates nothing, except
504-after-create (the vppToken is stored, then 504) and reset-after-create (stored, then the connection is
reset without an answer), which hit only creates. The same --seed and the same sequence of requests give the
same failures and latencies. A rate-limited 429 carries
Retry-After and the draft IETF RateLimit-Limit, RateLimit-Remaining (0) and RateLimit-Reset fields, as Graph
sends them on some workloads (0077). --faults FILE reads the same options from JSON; a flag given as well wins.

Examples:
  vppkit serve --port 0
  vppkit serve --fail-rate 0.2 --fail-with 429,503 --seed 7      # one request in five fails
  vppkit serve --rate-limit 10/1 --latency 50-300                # throttled and slow
  vppkit serve --fail-rate 0.2 --fail-with 504-after-create      # created, then 504: does the client create twice?
  vppkit serve --faults faults.json --seed 7                     # {"failRate":0.2,"rateLimit":{"requests":10,"seconds":1}}`,
    )
    .action(async (opts: ServeOptions) => {
      const { port, host, bodyLimit, maxTokens, maxStoredBytes, quiet } = opts;
      const faults = await faultOptionsOf(opts, ctx);
      const provider = await startReferenceProvider({
        port,
        host,
        bodyLimit,
        maxTokens,
        maxStoredBytes,
        faults,
        // Nobody reads it back from here, and a long-running server would only grow.
        recordTraffic: false,
        log: quiet ? undefined : (line) => ctx.stdout.write(`${line}\n`),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use: choose another with --port, or --port 0 for a free one`);
        if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new UsageError(`cannot listen on --host ${opts.host}: no such local address`);
        throw error;
      });
      // Until the interrupt (Ctrl-C, SIGTERM): then the provider closes and the run ends with 130 (decision 0020).
      ctx.handleInterrupts();
      ctx.stdout.write(`listening on ${provider.url}\n`);
      if (provider.faults) ctx.stdout.write(`${provider.faults.description}\n`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await provider.close();
      ctx.exitCode = EXIT.interrupted;
    });
}
