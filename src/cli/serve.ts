import type { Command } from 'commander';
import { DEFAULT_BODY_LIMIT, startReferenceProvider } from '../provider';
import { UsageError, parseInteger } from './errors';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the reference provider: an in-memory server that answers POST /deviceAppManagement/vppTokens as Graph does')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--body-limit <bytes>', 'largest request body accepted (413 above it)', parseInteger('--body-limit', 1), DEFAULT_BODY_LIMIT)
    .option('--quiet', 'do not log one line per request')
    .addHelpText(
      'after',
      `
The first line of output is "listening on http://HOST:PORT". Routes, also under /beta and /v1.0:
  POST /deviceAppManagement/vppTokens          create (201, or Graph's error body: 400 401 413 415)
  GET  /deviceAppManagement/vppTokens?$top=N   list, paged with @odata.nextLink
  GET  /deviceAppManagement/vppTokens/{id}     one vppToken
Any Bearer token is accepted. Token values are never logged. Stop with Ctrl-C.

Example:
  vppkit serve --port 0`,
    )
    .action(async (opts: { port: number; host: string; bodyLimit: number; quiet?: boolean }) => {
      const provider = await startReferenceProvider({
        port: opts.port,
        host: opts.host,
        bodyLimit: opts.bodyLimit,
        log: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use: choose another with --port, or --port 0 for a free one`);
        if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new UsageError(`cannot listen on --host ${opts.host}: no such local address`);
        throw error;
      });
      process.stdout.write(`listening on ${provider.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void provider.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
