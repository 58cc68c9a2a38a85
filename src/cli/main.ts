import { Command, CommanderError } from 'commander';
import { interruptName, type CliContext, type CliIo } from './context';
import { EXIT, UsageError, couldNotRunJson, systemErrorLine } from './errors';
import { escapeC1Controls, hideSecrets, shownArgument, typedCredentials } from '../net/redact';

export type { CliIo, CliContext, CliInput, CliOutput } from './context';

export const EXIT_CODE_HELP = `Exit codes (every command):
  0    success
  1    the check failed (verification, client check, invalid records, records not created)
  2    vppkit could not do the job: nothing judged (no verdict), a bad option or argument, unreadable or
       unwritable input or output, an unreachable or silent target, a certificate problem; also a bug in
       vppkit ("internal error", see --debug)
  130  interrupted (Ctrl-C)`;

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Each command's module, loaded only when that command runs (or for the list in `vppkit --help`): `vppkit
 * --version` and `vppkit validate` load neither faker nor Pact nor fast-check. In the order --help lists them.
 */
const COMMANDS: Record<string, () => Register> = {
  verify: () => (require('./verify') as typeof import('./verify')).registerVerify,
  serve: () => (require('./serve') as typeof import('./serve')).registerServe,
  'check-client': () => (require('./check-client') as typeof import('./check-client')).registerCheckClient,
  generate: () => (require('./generate') as typeof import('./generate')).registerGenerate,
  validate: () => (require('./validate') as typeof import('./validate')).registerValidate,
  seed: () => (require('./seed') as typeof import('./seed')).registerSeed,
  conform: () => (require('./conform') as typeof import('./conform')).registerConform,
  openapi: () => (require('./openapi') as typeof import('./openapi')).registerOpenApi,
  compare: () => (require('./compare') as typeof import('./compare')).registerCompare,
  drift: () => (require('./drift') as typeof import('./drift')).registerDrift,
  proxy: () => (require('./proxy') as typeof import('./proxy')).registerProxy,
};

/**
 * An option whose description says "(env NAME)" reads NAME from the run's environment when the command runs,
 * never when the help is built: --help shows the name, not the value (a token or password).
 */
function readEnvAtRunTime(command: Command, env: NodeJS.ProcessEnv): void {
  const fromEnv: [key: string, name: string][] = [];
  for (const option of command.options) {
    const match = /\s*\(env ([A-Z][A-Z0-9_]*)\)/.exec(option.description ?? '');
    if (!match) continue;
    // Shown in --help as "(env: NAME)", as commander shows its own; commander itself would read process.env.
    option.description = `${option.description.replace(match[0], '')} (env: ${match[1]})`;
    option.defaultValue = undefined;
    option.defaultValueDescription = undefined;
    command.setOptionValueWithSource(option.attributeName(), undefined, 'default');
    fromEnv.push([option.attributeName(), match[1]]);
  }
  if (fromEnv.length === 0) return;
  command.hook('preAction', (cmd) => {
    for (const [key, name] of fromEnv) {
      const value = env[name];
      if (cmd.getOptionValue(key) === undefined && value !== undefined && value !== '') cmd.setOptionValueWithSource(key, value, 'env');
    }
  });
}

/**
 * commander checks required options before unknown ones, so `vppkit seed --taget URL` answered "required option
 * '--target <url>' not specified" and never named the typo. The required options are checked here instead, after
 * the unknown ones (and after an option read from the environment), with commander's own words.
 */
function requiredAfterUnknown(command: Command): void {
  const required = command.options.filter((option) => option.mandatory);
  if (required.length === 0) return;
  for (const option of required) option.mandatory = false;
  command.hook('preAction', (cmd) => {
    const missing = required.find((option) => cmd.getOptionValue(option.attributeName()) === undefined);
    if (missing) (cmd as unknown as { missingMandatoryOptionValue(option: unknown): never }).missingMandatoryOptionValue(missing);
  });
}

/** The command a run names: the first word before `--` that is not an option (the only global ones take no value). */
function commandNamed(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    if (arg === '--') return undefined;
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The program for one run. Only the command it names is loaded; `vppkit --version` loads none, and anything else
 * (no command, --help, an unknown one) loads them all, so help and suggestions list every command.
 */
/**
 * commander's own errors (an unknown option, a missing argument) in the kit's one line, as every other error is:
 * `vppkit: unknown option '--nope' (run vppkit verify --help for usage)`. Every command shares one output
 * configuration, so the command the error belongs to is the one being parsed (`preSubcommand`).
 */
function oneLineErrors(program: Command, said: (message: string) => void): void {
  let current: string | undefined;
  program.hook('preSubcommand', (_program, sub) => {
    current = sub.name();
  });
  program.showHelpAfterError(false).configureOutput({
    outputError: (text, write) => {
      const message = `${text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (run vppkit${current ? ` ${current}` : ''} --help for usage)`;
      said(message);
      write(`vppkit: ${message}\n`);
    },
  });
}

/**
 * A stray argument is an error that names it (`conform takes no arguments (got "200")`), in the kit's one line:
 * commander's own only counts them. Commands that take a list of files or a client command are left alone.
 */
function namedStrayArguments(command: Command): void {
  const declared = command.registeredArguments;
  if (declared.some((argument) => argument.variadic)) {
    command.allowExcessArguments(false);
    return;
  }
  command.allowExcessArguments(true).hook('preAction', (_program, action) => {
    const stray = action.args.slice(declared.length);
    if (stray.length === 0) return;
    const takes = declared.length === 0 ? 'no arguments' : `at most ${declared.length} argument${declared.length === 1 ? '' : 's'}`;
    throw new UsageError(`${action.name()} takes ${takes} (got ${shownArgument(stray[0])}): options start with -- (run vppkit ${action.name()} --help for usage)`);
  });
}

/**
 * An option that takes one value, given twice, is an error that names it (outside tester J22): commander keeps the
 * last and drops the first without a word, so a script that appends its own `--provider-base-url` or `--profile`
 * to a user's command line verified something neither meant. Options documented "repeatable" collect every value.
 * The values are not shown: one may be a credential (`--bearer`).
 */
const valuesSeen = new WeakMap<Command, Map<string, number>>();
/** The options that name a file the kit writes (reading options such as --from take `-` for stdin). */
const OUTPUT_FILES = new Set(['--out', '--report', '--junit', '--record', '--har']);
function singleValuedOnce(command: Command): void {
  for (const option of command.options) {
    if (!(option.required || option.optional) || /\brepeatable\b/.test(option.description ?? '')) continue;
    command.on(`option:${option.name()}`, () => {
      const seen = valuesSeen.get(command) ?? new Map<string, number>();
      valuesSeen.set(command, seen.set(option.name(), (seen.get(option.name()) ?? 0) + 1));
      if (seen.get(option.name()) === 2) throw new UsageError(`${option.long ?? option.short} is given twice: it takes one value (run vppkit ${command.name()} --help for usage)`);
    });
  }
}

/**
 * An output file named `-` (outside tester M19): the kit reads `-` as the standard stream, as POSIX utilities do, so
 * a file named `-` written in the working folder (and overwritten by the next command) is never meant.
 */
function noOutputFileNamedDash(command: Command): void {
  for (const option of command.options) {
    if (!OUTPUT_FILES.has(option.long ?? '')) continue;
    command.on(`option:${option.name()}`, (value: unknown) => {
      if (value === '-') throw new UsageError(`${option.long} -: give a file name (- is not the standard output here${option.long === '--out' ? `; without --out, vppkit ${command.name()} writes to stdout` : ''})`);
    });
  }
}

const HELP_FLAGS = ['-h', '--help'];
const VERSION_FLAGS = ['-V', '--version'];

/**
 * `--version`, `--help` and `help` print and end the run before commander looks at the other arguments, so a stray
 * one beside them was ignored, exit 0 (outside tester H26): `vppkit --version extra`, `vppkit help verify extra`,
 * `vppkit conform --help extra`. It is an error that names it, as any stray argument is. Arguments after `--`
 * (a client's own) are not looked at; an option's value is not a stray argument.
 */
function strayBesideHelpOrVersion(program: Command, argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const args = end < 0 ? [...argv] : argv.slice(0, end);
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  const before = at < 0 ? args : args.slice(0, at);
  if (before.some((arg) => VERSION_FLAGS.includes(arg)) && at >= 0) throw new UsageError(`--version takes no arguments (got ${shownArgument(args[at])})`);
  if (before.some((arg) => HELP_FLAGS.includes(arg)) && at >= 0) {
    const command = program.commands.some((c) => c.name() === args[at]) ? `: for a command's help, vppkit ${args[at]} --help` : '';
    throw new UsageError(`--help takes no arguments (got ${shownArgument(args[at])})${command}`);
  }
  if (at < 0) return;
  const name = args[at];
  const rest = args.slice(at + 1);
  if (name === 'help') {
    const words = rest.filter((arg) => !arg.startsWith('-'));
    if (words.length > 0 && !program.commands.some((c) => c.name() === words[0])) throw new UsageError(`help: unknown command ${shownArgument(words[0])} (run vppkit --help for the commands)`);
    if (words.length > 1) throw new UsageError(`help takes one command (got ${shownArgument(words[1])} after ${words[0]})`);
    return;
  }
  const command = program.commands.find((c) => c.name() === name);
  if (!command || !rest.some((arg) => HELP_FLAGS.includes(arg))) return;
  // The command's own options and their values taken off; commander leaves all from the first unknown one (the
  // help flag is one) in `unknown`: each is dropped and the rest read again.
  const operands: string[] = [];
  let left = rest;
  while (left.length > 0) {
    const parsed = command.parseOptions(left);
    operands.push(...parsed.operands);
    left = parsed.unknown.slice(1);
  }
  valuesSeen.delete(command); // this look-ahead is not the run's parse: its options are counted again there
  if (operands.length > 0) throw new UsageError(`--help shows ${name}'s help and takes no argument beside it (got ${shownArgument(operands[0])})`);
}

export function buildProgram(ctx: CliContext = detachedContext(), argv?: readonly string[], said: (message: string) => void = () => undefined): Command {
  const named = argv && commandNamed(argv);
  const versionOnly = argv !== undefined && named === undefined && argv.length > 0 && argv.every((a) => ['-V', '--version', '--debug'].includes(a));
  const names = named && named in COMMANDS ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
  const program = new Command('vppkit')
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      getOutHelpWidth: () => (ctx.stdout.isTTY ? (ctx.stdout as { columns?: number }).columns : undefined) as number,
      getErrHelpWidth: () => (ctx.stderr.isTTY ? (ctx.stderr as { columns?: number }).columns : undefined) as number,
    })
    .description('Contract tests and fixtures for Microsoft Graph\'s POST /deviceAppManagement/vppTokens')
    .version(require('../../package.json').version as string)
    .option('--debug', 'on an error, print its stack trace too (for a bug report)')
    .exitOverride();
  for (const name of names) COMMANDS[name]()(program, ctx);
  program.allowExcessArguments(false);
  oneLineErrors(program, said);
  program.commands.forEach((command) => {
    command.exitOverride().showHelpAfterError(false);
    namedStrayArguments(command);
    singleValuedOnce(command);
    noOutputFileNamedDash(command);
    readEnvAtRunTime(command, ctx.env);
    requiredAfterUnknown(command);
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
  vppkit compare pacts/my-app.json              # any consumer pact against the contract, without running it
  vppkit drift --metadata beta-metadata.xml     # what Graph changed since the schemas were written
  vppkit proxy --target https://graph.microsoft.com --record my-app.json    # judge and record real traffic`,
  );
  return program;
}

/** The command named in `argv` when it was asked for `--json` (before `--`) and has that option; else undefined. */
function jsonCommandOf(program: Command, argv: readonly string[]): string | undefined {
  const name = commandNamed(argv);
  const command = program.commands.find((c) => c.name() === name);
  const end = argv.indexOf('--');
  const asked = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  return command && asked && command.options.some((option) => option.long === '--json') ? command.name() : undefined;
}

/** --debug anywhere before `--` (a client's own arguments come after it). */
export function wantsDebug(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Prints an error that ends the run as one line (plus the stack with --debug) on `stderr`, and returns its exit
 * code: a UsageError's, 2 for a system error (ENOENT, ENOSPC...) and for a bug in vppkit.
 */
export function reportFailure(error: unknown, debug: boolean, stderr: { write(text: string): unknown }): number {
  const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : '';
  if (error instanceof UsageError) {
    stderr.write(`vppkit: ${error.message}\n${stack}`);
    return error.exitCode;
  }
  const system = systemErrorLine(error);
  if (system) {
    stderr.write(`vppkit: ${system}\n${stack}`);
    return EXIT.couldNotRun;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(
    `vppkit: internal error (a bug in vppkit): ${message}\n` +
      (stack || 'Please report it with the command you ran and the output of the same command with --debug.\n'),
  );
  return EXIT.couldNotRun;
}

/** A context for building the program outside a run (its help text): nothing is read or interrupted. */
function detachedContext(): CliContext {
  // process.stdin is read when a command reads its input, not here: Node makes the stdin stream on its first read (a
  // handle opened, a reader that may keep the process alive) for a caller that only wanted the commands (decision 1141).
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
    env: {},
    signal: new AbortController().signal,
    exitCode: 0,
    handleInterrupts: () => undefined,
  };
}

/**
 * Runs vppkit with `argv` (the arguments after the command name, as a user typed them) and `io`, in-process, and
 * resolves to the exit code (0 ok, 1 check failed, 2 could not run, 130 interrupted). It never exits the process
 * and installs no process-wide handler: bin/vppkit.js does that.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = wantsDebug(argv);
  const signal = io.signal ?? new AbortController().signal;
  let ownInterrupts = false;
  const ctx: CliContext = { ...io, signal, exitCode: EXIT.ok, handleInterrupts: () => void (ownInterrupts = true) };
  let failureReported = false;
  // The one line an error that ends the run is said in (commander's, or reportFailure's), for --json's object.
  let errorLine: string | undefined;
  const fail = (error: unknown): number => {
    if (failureReported) return EXIT.couldNotRun;
    failureReported = true;
    return reportFailure(error, debug, { write: (text: string) => (errorLine ??= text.split('\n')[0].replace(/^vppkit: /, ''), io.stderr.write(text)) });
  };
  // Ends the run before the command does: an interrupt the command does not handle, or an output that failed.
  let end: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => (end = resolve));
  // An interrupt the command does not handle ends the run at once, said as verify says its own (outside tester
  // L13: conform and validate ended with 130 in silence, and no object under --json).
  let program: Command | undefined;
  const onInterrupt = () => {
    if (ownInterrupts) return;
    const line = `interrupted by ${interruptName(signal)}`;
    io.stderr.write(`vppkit: ${line}\n`);
    // What the cut-off run fails with afterwards is not the reason it ended: said no more.
    failureReported = true;
    let json: string | undefined;
    try {
      // Interrupted before the run began, the program is built here only to read its options.
      json = jsonCommandOf(program ?? buildProgram(ctx, [...argv]), argv);
    } catch {
      json = undefined;
    }
    if (json) ctx.stdout.write(couldNotRunJson(json, new UsageError(line, EXIT.interrupted)));
    end(EXIT.interrupted);
  };
  // When the reader of stdout goes away (`vppkit validate big.ndjson | head`), further output is dropped quietly
  // and the command finishes with its own verdict. Any other failure (ENOSPC, EIO) ends the run, reported once.
  let outputFailed: number | undefined;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    io.stdout.write = ((_chunk: unknown, encoding?: unknown, done?: unknown) => {
      const callback = typeof encoding === 'function' ? encoding : done;
      if (typeof callback === 'function') queueMicrotask(() => callback());
      return true;
    }) as typeof io.stdout.write;
    if (error.code !== 'EPIPE') end((outputFailed = fail(error)));
  };
  io.stdout.on('error', onStdoutError);
  // A credential typed on the command line (a VPP token or a JWT where a file goes) is hidden from every line (P15).
  const typed = typedCredentials(argv);
  const restoreOutputs = [io.stdout, io.stderr].map((output) => writingSafely(output, typed));
  if (signal.aborted) onInterrupt();
  else signal.addEventListener('abort', onInterrupt, { once: true });
  const run = async (): Promise<number> => {
    try {
      // `vppkit --debug` alone is `vppkit` alone: the usage, exit 2 (it printed nothing, exit 0: outside tester I23).
      const words = argv.every((arg) => arg === '--debug') ? [] : [...argv];
      program = buildProgram(ctx, words, (message) => (errorLine ??= message));
      strayBesideHelpOrVersion(program, words);
      await program.parseAsync(words, { from: 'user' });
      return ctx.exitCode;
    } catch (error) {
      const code = error instanceof CommanderError ? (error.exitCode === 0 ? EXIT.ok : EXIT.couldNotRun) : fail(error);
      // With --json, a run that could not be done still leaves one JSON object on stdout (README), whatever ended
      // it: an option's value refused while parsing (outside tester L6) as much as a provider out of reach.
      const json = program && jsonCommandOf(program, argv);
      if (code !== EXIT.ok && json && errorLine !== undefined) ctx.stdout.write(couldNotRunJson(json, new UsageError(errorLine, code), error instanceof UsageError ? error.json : undefined));
      return code;
    }
  };
  try {
    const code = await Promise.race([run(), ended]);
    // A write to a file fails on the next tick (Node's stream to a file): a full disk under the command's last line
    // is known only after the command returned its verdict (outside tester K18: `vppkit openapi > /dev/full`, exit 0).
    await new Promise((resolve) => setImmediate(resolve));
    return outputFailed ?? code;
  } finally {
    signal.removeEventListener('abort', onInterrupt);
    io.stdout.off('error', onStdoutError);
    for (const restore of restoreOutputs) restore();
  }
}

/** A C1 control character's two UTF-8 bytes (C2 80 to C2 9F), or DEL, in a chunk written as bytes. */
const holdsC1Bytes = (bytes: Uint8Array): boolean => bytes.some((b, i) => b === 0x7f || (b === 0xc2 && i + 1 < bytes.length && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9f));

/**
 * Makes `output` write every C1 control character (and DEL) written out, `\u009b`, for the run; returns what puts
 * its own `write` back. The kit writes none of its own, and JSON.stringify, which quotes someone else's values in
 * the kit's lines, writes out C0 but leaves C1 raw: U+009B is CSI (`ESC [` in one character) to a terminal with
 * 8-bit controls (outside tester L2). In a JSON string `\u009b` is the same character, so `--json` on stdout still
 * reads back the same values. Bytes are read as UTF-8 only when they hold one (records piped through stay as they are).
 * `typed`, the credentials typed on the command line, are hidden from every chunk (`[token]`), bytes included.
 */
function writingSafely(output: CliIo['stdout'], typed: readonly string[]): () => void {
  const own = Object.prototype.hasOwnProperty.call(output, 'write');
  const write = output.write;
  const safe = (text: string): string => (typed.length > 0 ? hideSecrets(escapeC1Controls(text), { values: typed }) : escapeC1Controls(text));
  output.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    const escaped = typeof chunk === 'string' ? safe(chunk) : chunk instanceof Uint8Array && (typed.length > 0 || holdsC1Bytes(chunk)) ? Buffer.from(safe(Buffer.from(chunk).toString('utf8')), 'utf8') : chunk;
    return (write as (...args: unknown[]) => boolean).call(output, escaped, ...rest);
  } as typeof output.write;
  return () => {
    if (own) output.write = write;
    else delete (output as { write?: unknown }).write;
  };
}
