// What a person reads of many invalid records (issue 15 item 6): each problem in full once, then one line per
// problem repeated on several records, with its count and the first records that have it; a list of what is
// allowed shown once, not on every line. Memory stays bounded however many records pass.
import { problemMessage, type Problem } from './problems';

/** A problem's message with its list of names allowed said once: in full the first time, then `as above`. */
export function allowedListedOnce(p: Pick<Problem, 'message' | 'got' | 'allowed'>, shown: Set<string>): string {
  if (!p.allowed) return p.message;
  const list = p.allowed.join(', ');
  if (shown.has(list)) return problemMessage(p, { allowed: 'as above' });
  shown.add(list);
  return p.message;
}

/** `pointer: message` as a person reads it, told by `problemMessage`. */
const line = (p: Problem, show: Parameters<typeof problemMessage>[1]) => `${p.pointer || '(root)'}: ${problemMessage(p, show)}`;

interface Kind {
  /** The problem as its repeat line names it: without its value and its list of names allowed. */
  shown: string;
  count: number;
  records: number[];
}

/** Groups the problems of a stream of invalid records (vppkit validate's text report). */
export class ProblemDigest {
  private readonly kinds = new Map<string, Kind>();
  private readonly lists = new Set<string>();

  /**
   * @param firstRecords how many record numbers a repeated problem's line names (then `...`)
   * @param maxKinds how many different problems are remembered; past it, new ones are shown on every record
   */
  constructor(
    private readonly firstRecords = 5,
    private readonly maxKinds = 10_000,
  ) {}

  /**
   * The lines for one invalid record: `<where>: invalid <kind>, N problems:` and each problem not shown before.
   * None when every problem was shown before (the closing lines count it).
   */
  record(where: string, index: number, kind: string, problems: readonly Problem[]): string[] {
    const fresh: string[] = [];
    for (const problem of problems) {
      // Problems told apart only by their value (`got`) are one.
      const key = line(problem, { got: false });
      const known = this.kinds.get(key);
      if (known) {
        known.count++;
        if (known.records.length < this.firstRecords + 1) known.records.push(index);
        continue;
      }
      if (this.kinds.size < this.maxKinds) this.kinds.set(key, { shown: line(problem, { got: false, allowed: 'left out' }), count: 1, records: [index] });
      fresh.push(`  ${problem.pointer || '(root)'}: ${allowedListedOnce(problem, this.lists)}`);
    }
    if (fresh.length === 0) return [];
    const seen = problems.length - fresh.length;
    return [`${where}: invalid ${kind}, ${problems.length} problem${problems.length === 1 ? '' : 's'}${seen ? ` (${seen} shown above)` : ''}:`, ...fresh];
  }

  /** One line per problem met on more than one record, with its count and first records; none when there is none. */
  repeated(): string[] {
    const lines: string[] = [];
    for (const kind of this.kinds.values()) {
      if (kind.count < 2) continue;
      const first = kind.records.slice(0, this.firstRecords).join(', ');
      const more = kind.records.length > this.firstRecords ? ', ...' : '';
      lines.push(`  ${kind.shown}: ${kind.count} records (${first}${more})`);
    }
    return lines.length ? ['Repeated problems (each shown in full once above):', ...lines] : [];
  }
}
