import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, systemErrorLine } from './errors';
import { registerCheckClient } from './check-client';
import { registerServe } from './serve';
import { registerVerify } from './verify';
import { registerGenerate } from './generate';
import { registerValidate } from './validate';
import { registerSeed } from './seed';
import { registerConform } from './conform';
import { registerOpenApi } from './openapi';
import { registerDrift } from './drift';

// Pact's native core sends usage telemetry unless told not to; there may be no network.
process.env.PACT_DO_NOT_TRACK ??= 'true';

export const EXIT_CODE_HELP = `Exit codes (every command):
  0    success
  1    the check failed (verification, client check, invalid records, records not created)
  2    vppkit could not do the job: a bad option or argument, unreadable or unwritable input or output, an
       unreachable or silent target, a certificate problem; also a bug in vppkit ("internal error", see --debug)
  130  interrupted (Ctrl-C)`;

/**
 * An option whose description says "(env NAME)" reads NAME when the command runs, never when the help is
 * built: --help shows the name, not the value (a token or password).
 */
function readEnvAtRunTime(command: Command): void {
  const fromEnv: [key: string, name: string][] = [];
  for (const option of command.options) {
    const match = /\s*\(env ([A-Z][A-Z0-9_]*)\)/.exec(option.description ?? '');
    if (!match) continue;
    option.description = option.description.replace(match[0], '');
    option.defaultValue = undefined;
    option.defaultValueDescription = undefined;
    command.setOptionValueWithSource(option.attributeName(), undefined, 'default');
    // Shown in --help as "(env: NAME)"; the value is read below, when the command runs.
    option.envVar = match[1];
    fromEnv.push([option.attributeName(), match[1]]);
  }
  if (fromEnv.length === 0) return;
  command.hook('preAction', (cmd) => {
    for (const [key, name] of fromEnv) {
      const value = process.env[name];
      if (cmd.getOptionValue(key) === undefined && value !== undefined && value !== '') cmd.setOptionValueWithSource(key, value, 'env');
    }
  });
}

export function buildProgram(): Command {
  const program = new Command('vppkit')
    .description('Contract tests and fixtures for Microsoft Graph\'s POST /deviceAppManagement/vppTokens')
    .version(require('../../package.json').version as string)
    .option('--debug', 'on an error, print its stack trace too (for a bug report)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerVerify(program);
  registerServe(program);
  registerCheckClient(program);
  registerGenerate(program);
  registerValidate(program);
  registerSeed(program);
  registerConform(program);
  registerOpenApi(program);
  registerDrift(program);
  program.allowExcessArguments(false);
  program.commands.forEach((command) => {
    command.exitOverride().allowExcessArguments(false).showHelpAfterError(`(run vppkit ${command.name()} --help for usage)`);
    readEnvAtRunTime(command);
  });
  program.addHelpText(
    'after',
    `
${EXIT_CODE_HELP}

Examples:
  vppkit verify                                  # canonical contract against the embedded reference provider
  vppkit serve --port 0                          # run the reference provider
  vppkit check-client -- node my-client.js       # check any client
  vppkit generate --count 1000 --seed 7          # realistic create requests, NDJSON
  vppkit validate tokens.ndjson                  # check records against the schemas
  vppkit seed --target http://127.0.0.1:8080 --count 1000 --bearer "$TOKEN"
  vppkit conform --provider-base-url http://127.0.0.1:8080/beta --seed 42   # find bugs beyond the contract
  vppkit openapi --out vpptokens.openapi.json   # the contract as OpenAPI 3.1
  vppkit drift --metadata beta-metadata.xml     # what Graph changed since the schemas were written`,
  );
  return program;
}

/** --debug anywhere before `--` (a client's own arguments come after it). */
function wantsDebug(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}

/** Prints an error that ends the run, as one line (plus the stack with --debug), and returns its exit code. */
let failureReported = false;

export function reportFailure(error: unknown, debug: boolean): number {
  failureReported = true;
  const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
  if (error instanceof UsageError) {
    process.stderr.write(`vppkit: ${error.message}\n${stack}`);
    return error.exitCode;
  }
  const system = systemErrorLine(error);
  if (system) {
    process.stderr.write(`vppkit: ${system}\n${stack}`);
    return EXIT.couldNotRun;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `vppkit: internal error (a bug in vppkit): ${message}\n` +
      (stack || 'Please report it with the command you ran and the output of the same command with --debug.\n'),
  );
  return EXIT.couldNotRun;
}

/**
 * When the reader of stdout goes away (`vppkit validate big.ndjson | head`), further output is dropped
 * quietly; the command still finishes and exits with its own verdict.
 */
function quietOnClosedStdout(debug: boolean): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    if (error.code === 'EPIPE') return;
    // Any other failure (ENOSPC, EIO) ends the run, reported once even if the command reports it as well.
    if (!failureReported) process.exit(reportFailure(error, debug));
  });
}

/**
 * Ctrl-C or SIGTERM ends vppkit with 130. A command that handles the signal itself (seed finishing its report,
 * check-client stopping the client's process group, verify stopping its Pact process) has its own listener,
 * and then this one leaves the work to it.
 */
function exitOnInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(EXIT.interrupted);
    });
  }
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const debug = wantsDebug(argv.slice(2));
  quietOnClosedStdout(debug);
  exitOnInterrupt();
  // pact-js's verification proxy throws, outside any promise, when the provider drops a connection mid-run;
  // stdout may fail asynchronously (ENOSPC). None of these is worth a stack trace.
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') {
      process.stderr.write(`vppkit: the provider stopped answering (${error.code}); the verification did not finish\n`);
      process.exit(EXIT.couldNotRun);
    }
    process.exit(reportFailure(error, debug));
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.couldNotRun;
      return;
    }
    process.exitCode = reportFailure(error, debug);
  }
}
