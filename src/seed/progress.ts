import type { SeedCounts } from './send';
import { argumentProblem, refuseArguments } from '../net/option';

/** Where progress goes: process.stderr, or anything shaped like it. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  update(counts: SeedCounts): void;
  /** Clears the bar (on a terminal) before the summary line. */
  done(): void;
}

/**
 * A bar redrawn in place on a terminal (at most every 100 ms), a plain line every 5 s otherwise. `total` is
 * the number of records when known; `now` is the clock (tests pass their own).
 */
export function createProgress(stream: ProgressStream, total: number | undefined, now: () => number = Date.now): Progress {
  refuseArguments(argumentProblem('stream', stream, 'object', 'a writable stream, such as process.stderr'), argumentProblem('total', total, 'number', undefined, 'optional'), argumentProblem('now', now, 'function'));
  // The members it reads (decision 1041: `createProgress({}, 1)` was taken and failed at its first line, `stream.write is not a function`).
  refuseArguments(argumentProblem('stream.write', stream.write, 'function', 'a function: stream must be a writable stream, such as process.stderr'), argumentProblem('stream.isTTY', stream.isTTY, 'boolean', undefined, 'optional'));
  const tty = stream.isTTY === true;
  const started = now();
  let last = started;
  const line = (c: SeedCounts) => {
    const rate = c.created / Math.max(0.001, (now() - started) / 1000);
    return `${c.total}${total === undefined ? '' : `/${total}`} done: ${c.created} created, ${c.failed} failed, ${c.unknown} unknown, ${c.invalid} invalid (${rate.toFixed(0)}/s)`;
  };
  let drawn = false;
  return {
    update(c) {
      const t = now();
      if (t - last < (tty ? 100 : 5000)) return;
      last = t;
      if (tty) {
        const width = 24;
        const filled = total ? Math.min(width, Math.round((c.total / total) * width)) : 0;
        stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${line(c)}\u001b[K`);
        drawn = true;
      } else stream.write(`seed: ${line(c)}\n`);
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
