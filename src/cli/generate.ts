import { existsSync, statSync } from 'node:fs';
import { openFileWhole } from '../net/file';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { graphErrorTraits, vppTokenTraits, type GraphErrorTrait, type VppTokenTrait } from '../fixtures/traits';
import { RECORDS_PER_SEED, recordRangeProblem } from '../fixtures/record-range';
import { GENERATE_FORMATS, GENERATE_KINDS } from '../fixtures/record-range';
import type { CliContext } from './context';
import { UsageError, collect, oneOf, parseInteger, systemReason } from './errors';
import { checkTraits, profileOption } from './profile';
import type { Profile } from '../schemas/profiles';

export const traitOption = (value: string, previous: VppTokenTrait[] = []): VppTokenTrait[] => [
  ...previous,
  oneOf('--trait', Object.keys(vppTokenTraits) as VppTokenTrait[])(value),
];

/** A trait list as --help shows it, from the same records the README's lists are checked against. */
const listOf = (traits: Readonly<Record<string, string>>): string =>
  Object.entries(traits)
    .map(([name, what]) => `  ${name.padEnd(22)} ${what}`)
    .join('\n');

export const traitHelp = listOf(vppTokenTraits);
export const errorTraitHelp = listOf(graphErrorTraits);

type Kind = (typeof GENERATE_KINDS)[number];

/** The --trait values checked against the kind's traits: several vppToken traits, or one error status. */
function traitsOf(kind: Kind, given: string[] = []): VppTokenTrait[] | GraphErrorTrait[] {
  if (kind !== 'error') return given.map((t) => oneOf('--trait', Object.keys(vppTokenTraits) as VppTokenTrait[])(t));
  return given.map((t) => oneOf('--trait for --kind error', Object.keys(graphErrorTraits) as GraphErrorTrait[])(t));
}

export function registerGenerate(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .description('Print realistic vppToken fixtures: deterministic per seed, streaming, NDJSON or a JSON array')
    // Caught only to refuse it with a hint: `generate 1000` once printed 10 records.
    .argument('[unexpected...]')
    .usage('[options]')
    .option('--kind <kind>', 'request (a create body), response (a created vppToken) or error (Graph\'s error body)', oneOf('--kind', GENERATE_KINDS), 'request')
    .option('--count <n>', 'how many records', parseInteger('--count', 0), 10)
    .option('--offset <k>', `index of the first record: records k .. k+n-1 of the same data set (0 to ${RECORDS_PER_SEED - 1}: a seed's data set has 2^32 records)`, parseInteger('--offset', 0, RECORDS_PER_SEED - 1), 0)
    .option('--seed <s>', 'seed of the data set (0 to 4294967295)', parseInteger('--seed', 0, 0xffffffff), 1)
    .option('--trait <trait>', 'apply a trait, repeatable, in order (--kind error: one, the status)', collect)
    .option('--format <format>', 'ndjson (one record per line) or json (one array)', oneOf('--format', GENERATE_FORMATS), 'ndjson')
    .option('--out <file>', 'write to a file instead of stdout')
    .option(...profileOption)
    .addHelpText(
      'after',
      `
Traits (request, response):
${traitHelp}

Traits (--kind error; without one, record i is the i-th status in turn):
${errorTraitHelp}

The same options print the same bytes on any day and machine. Record i depends only on the seed, the traits
and i, so NDJSON slices concatenate to the whole: --count 500 --offset 0 and --count 500 --offset 500 give
exactly the 1,000 records of --count 1000.

Examples:
  vppkit generate --count 3 --seed 42
  vppkit generate --kind response --trait expired --format json --out expired.json
  vppkit generate --kind error --trait tooManyRequests --count 3   # Graph 429 bodies; | vppkit validate --kind error -
  vppkit generate --count 1000000 --offset "$((SHARD * 1000000))" | gzip > shard.ndjson.gz`,
    )
    .action(async (unexpected: string[], opts: { kind: Kind; count: number; offset: number; seed: number; trait?: string[]; format: 'ndjson' | 'json'; out?: string; profile: Profile }) => {
      if (unexpected.length) {
        const hint = /^\d+$/.test(unexpected[0]) ? `: did you mean --count ${unexpected[0]}?` : '';
        throw new UsageError(`generate takes no arguments (got ${JSON.stringify(unexpected[0])})${hint}`);
      }
      const beyond = recordRangeProblem(opts.offset, opts.count);
      if (beyond) throw new UsageError(`--offset ${opts.offset} --count ${opts.count}: ${beyond}`);
      const traits = traitsOf(opts.kind, opts.trait);
      if (opts.kind !== 'error') checkTraits(opts.profile, traits as VppTokenTrait[]);
      const { writeGenerated, graphErrorFactory } = await import('../fixtures');
      // The factory's own rule (an error takes one status), said with the option's name.
      if (opts.kind === 'error') {
        try {
          graphErrorFactory.withTraits(...(traits as GraphErrorTrait[]));
        } catch (error) {
          if (error instanceof RangeError) throw new UsageError(error.message.replace(/^Graph error takes one trait/, '--kind error takes one --trait'));
          throw error;
        }
      }
      const options = { kind: opts.kind, count: opts.count, offset: opts.offset, seed: opts.seed, traits, format: opts.format, profile: opts.profile };
      if (!opts.out) {
        await writeGenerated(options, ctx.stdout);
        return;
      }
      // Written whole or not at all (decision 0221, outside tester J26): a temporary name, renamed at the end; an
      // error or an interrupt removes it, and a file already there is left as it was.
      const file = opts.out;
      let out: ReturnType<typeof openFileWhole> | undefined;
      const abandon = () => out?.abandon();
      ctx.signal.addEventListener('abort', abandon, { once: true });
      try {
        out = openFileWhole(file);
        await writeGenerated(options, out.stream);
        out.stream.end();
        await finished(out.stream);
        if (ctx.signal.aborted) return;
        out.commit();
      } catch (error) {
        out?.abandon();
        const kept = existsSync(file) && !statSync(file).isDirectory() ? '; the file there was left as it was' : '';
        throw new UsageError(`cannot write ${file}: ${systemReason(error)}${kept}`);
      } finally {
        ctx.signal.removeEventListener('abort', abandon);
      }
    });
}
