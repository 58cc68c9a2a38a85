import { Command, CommanderError } from 'commander';
import { UsageError } from './errors';
import { registerCheckClient } from './check-client';
import { registerServe } from './serve';
import { registerVerify } from './verify';
import { registerGenerate } from './generate';
import { registerValidate } from './validate';
import { registerSeed } from './seed';
import { registerConform } from './conform';

// Pact's native core sends usage telemetry unless told not to; there may be no network.
process.env.PACT_DO_NOT_TRACK ??= 'true';

export function buildProgram(): Command {
  const program = new Command('vppkit')
    .description('Contract tests and fixtures for Microsoft Graph\'s POST /deviceAppManagement/vppTokens')
    .version(require('../../package.json').version as string)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerVerify(program);
  registerServe(program);
  registerCheckClient(program);
  registerGenerate(program);
  registerValidate(program);
  registerSeed(program);
  registerConform(program);
  program.commands.forEach((command) => command.exitOverride().showHelpAfterError(`(run vppkit ${command.name()} --help for usage)`));
  program.addHelpText(
    'after',
    `
Exit codes: 0 success; 1 the check failed (verification, client check, invalid records, records not created);
2 vppkit could not do the job (bad option, unreadable input).

Examples:
  vppkit verify                                  # canonical contract against the embedded reference provider
  vppkit serve --port 0                          # run the reference provider
  vppkit check-client -- node my-client.js       # check any client
  vppkit generate --count 1000 --seed 7          # realistic create requests, NDJSON
  vppkit validate tokens.ndjson                  # check records against the schemas
  vppkit seed --target http://127.0.0.1:8080 --count 1000 --bearer "$TOKEN"`,
  );
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // pact-js's verification proxy throws, outside any promise, when the provider drops a connection mid-run.
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') {
      process.stderr.write(`vppkit: the provider stopped answering (${error.code}); the verification did not finish\n`);
      process.exit(1);
    }
    process.stderr.write(`vppkit: internal error: ${error.stack ?? error.message}\n`);
    process.exit(70);
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`vppkit: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`vppkit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
