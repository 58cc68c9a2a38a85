// The fault options, the same on every command that injects faults (serve; check-client and proxy too): the
// flags, a fault profile file, and how the two combine. The library reads and checks the file (src/provider/faults.ts).
import type { Command } from 'commander';
import {
  DEFAULT_FAIL_WITH,
  FAILURE_KINDS,
  FaultOptionError,
  parseFailRate,
  parseFailWith,
  parseLatency,
  parseRateLimit,
  readFaultsInputFile,
  type FaultOptions,
} from '../provider/faults';
import { noWriterNote, type CliContext } from './context';
import { UsageError, inputFileFlag, parseInteger } from './errors';

/** What commander parses from the fault options: the library's names and shapes, and the file. */
export interface FaultFlags extends FaultOptions {
  faults?: string;
}

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

/** Adds --faults FILE, --fail-rate, --fail-with, --rate-limit, --latency, --seed and --retry-after to `command`. */
export function addFaultOptions(command: Command): Command {
  return command
    .option('--faults <file>', 'a fault profile: JSON with the options below by their library names, e.g. {"failRate":0.2,"rateLimit":{"requests":10,"seconds":1}}; flags given as well win')
    .option('--fail-rate <r>', 'share of requests (0 to 1) answered with a failure instead', faultOption('--fail-rate', parseFailRate))
    .option('--fail-with <kinds>', `what the failures are drawn from, of ${FAILURE_KINDS.join(',')} (default ${DEFAULT_FAIL_WITH.join(',')})`, faultOption('--fail-with', parseFailWith))
    .option('--rate-limit <n/seconds>', 'N requests per window of SECONDS, then 429 with Retry-After and RateLimit-* until the window ends', faultOption('--rate-limit', parseRateLimit))
    .option('--latency <ms>', 'milliseconds before each answer: MS, or MIN-MAX drawn per request', faultOption('--latency', parseLatency))
    .option('--seed <n>', 'seed of the failure and latency draws (default: random, printed)', parseInteger('--seed', 0, 2 ** 32 - 1))
    .option('--retry-after <seconds>', 'Retry-After on a drawn 429 or 503 (default 1)', parseInteger('--retry-after', 0, 3600));
}

/**
 * The fault options of a command line: the --faults file's, with each flag given on the command line in its
 * place; undefined when no fault is asked for. Mistakes are usage errors (exit 2), one line each. The file is read
 * as every file named on the command line is (decision 0530): a FIFO with no writer yet is waited for, said, and an
 * interrupt ends the wait.
 */
export async function faultOptionsOf(flags: FaultFlags, ctx: Pick<CliContext, 'stderr' | 'signal'>): Promise<FaultOptions | undefined> {
  let fromFile: FaultOptions = {};
  if (flags.faults !== undefined) {
    try {
      fromFile = await readFaultsInputFile(inputFileFlag('--faults', flags.faults), { signal: ctx.signal, onNoWriter: noWriterNote(ctx) });
    } catch (error) {
      if (error instanceof FaultOptionError) throw new UsageError(`--faults ${error.message}`);
      throw error;
    }
  }
  const given = Object.fromEntries(
    (['failRate', 'failWith', 'rateLimit', 'latency', 'seed', 'retryAfter'] as const).filter((key) => flags[key] !== undefined).map((key) => [key, flags[key]]),
  ) as FaultOptions;
  const options: FaultOptions = { ...fromFile, ...given };
  const where = (key: keyof FaultOptions, flag: string) => (given[key] !== undefined ? flag : `${flag} (${key} in --faults)`);
  if (options.failWith && options.failRate === undefined) throw new UsageError(`${where('failWith', '--fail-with')} needs --fail-rate: it says which kinds the failures are drawn from`);
  if (options.retryAfter !== undefined && options.failRate === undefined) throw new UsageError(`${where('retryAfter', '--retry-after')} needs --fail-rate: it is the Retry-After of a drawn 429 or 503`);
  const active = options.failRate !== undefined || options.rateLimit !== undefined || options.latency !== undefined;
  if (options.seed !== undefined && !active) throw new UsageError(`${where('seed', '--seed')} needs --fail-rate, --rate-limit or --latency: it seeds their draws`);
  return active ? options : undefined;
}
