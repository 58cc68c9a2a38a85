import type { Command } from 'commander';
import {
  DEFAULT_FAIL_WITH,
  FAULT_STATUSES,
  FaultOptionError,
  parseFailRate,
  parseFailWith,
  parseLatency,
  parseRateLimit,
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

/** The fault options of `serve` (and of every command that injects faults), with the library's names and shapes. */
export function addFaultOptions(command: Command): Command {
  return command
    .option('--fail-rate <r>', 'share of requests (0 to 1) answered with a failure instead', faultOption('--fail-rate', parseFailRate))
    .option('--fail-with <statuses>', `statuses the failures are drawn from, of ${Object.keys(FAULT_STATUSES).join(',')} (default ${DEFAULT_FAIL_WITH.join(',')})`, faultOption('--fail-with', parseFailWith))
    .option('--rate-limit <n/seconds>', 'N requests per window of SECONDS, then 429 with Retry-After until the window ends', faultOption('--rate-limit', parseRateLimit))
    .option('--latency <ms>', 'milliseconds before each answer: MS, or MIN-MAX drawn per request', faultOption('--latency', parseLatency))
    .option('--seed <n>', 'seed of the failure and latency draws (default: random, printed)', parseInteger('--seed', 0, 2 ** 32 - 1))
    .option('--retry-after <seconds>', 'Retry-After on a drawn 429 or 503 (default 1)', parseInteger('--retry-after', 0, 3600));
}

/** The FaultOptions the parsed fault options ask for (undefined for none), or a usage error for a combination that means nothing. */
export function faultsFrom(flags: FaultOptions): FaultOptions | undefined {
  const { failRate, failWith, rateLimit, latency, seed, retryAfter } = flags;
  if (failWith && failRate === undefined) throw new UsageError('--fail-with needs --fail-rate: it says which statuses the failures are drawn from');
  if (retryAfter !== undefined && failRate === undefined) throw new UsageError('--retry-after needs --fail-rate: it is the Retry-After of a drawn 429 or 503');
  const any = failRate !== undefined || rateLimit !== undefined || latency !== undefined;
  if (seed !== undefined && !any) throw new UsageError('--seed needs --fail-rate, --rate-limit or --latency: it seeds their draws');
  if (!any) return undefined;
  return Object.fromEntries(Object.entries({ failRate, failWith, rateLimit, latency, seed, retryAfter }).filter(([, v]) => v !== undefined)) as FaultOptions;
}
