import type { Command } from 'commander';
import { TlsOptionError, readCaInputFile, trustContradiction, type TlsTrust } from '../net';
import { noWriterNote, type CliContext } from './context';
import { UsageError, inputFileFlag } from './errors';

/** `--ca FILE` and `--insecure`, the same on every command that reaches a server (verify, seed, conform). */
export function addTrustOptions(command: Command, what: string): Command {
  return command
    .option('--ca <file>', `trust this CA certificate (PEM) for an https ${what}, besides the system's`)
    .option('--insecure', `accept any certificate of an https ${what} (throwaway test servers only)`);
}

/**
 * The trust the options ask for, or undefined for Node's defaults; a CA file that can't be used is a usage error. The
 * file is read as every file named on the command line is (decision 0530): a FIFO is waited for, an interrupt ends it.
 */
export async function trustFrom(flags: { ca?: string; insecure?: boolean }, ctx: Pick<CliContext, 'stderr' | 'signal'>): Promise<TlsTrust | undefined> {
  const contradiction = trustContradiction(flags, ['--ca', '--insecure']);
  if (contradiction) throw new UsageError(contradiction);
  if (flags.ca === undefined && !flags.insecure) return undefined;
  try {
    return flags.ca !== undefined ? { ca: await readCaInputFile(inputFileFlag('--ca', flags.ca), { signal: ctx.signal, onNoWriter: noWriterNote(ctx) }) } : { insecure: true };
  } catch (error) {
    if (error instanceof TlsOptionError) throw new UsageError(error.message);
    throw error;
  }
}
