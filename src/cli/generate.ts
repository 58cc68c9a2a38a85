import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { vppTokenTraits, type VppTokenTrait } from '../fixtures/traits';
import type { CliContext } from './context';
import { UsageError, oneOf, parseInteger } from './errors';
import { checkTraits, profileOption } from './profile';
import type { Profile } from '../schemas/profiles';

export const traitOption = (value: string, previous: VppTokenTrait[] = []): VppTokenTrait[] => [
  ...previous,
  oneOf('--trait', Object.keys(vppTokenTraits) as VppTokenTrait[])(value),
];

export const traitHelp = Object.entries(vppTokenTraits)
  .map(([name, what]) => `  ${name.padEnd(22)} ${what}`)
  .join('\n');

export function registerGenerate(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .description('Print realistic vppToken fixtures: deterministic per seed, streaming, NDJSON or a JSON array')
    // Caught only to refuse it with a hint: `generate 1000` once printed 10 records.
    .argument('[unexpected...]')
    .usage('[options]')
    .option('--kind <kind>', 'request (a create body) or response (a created vppToken)', oneOf('--kind', ['request', 'response'] as const), 'request')
    .option('--count <n>', 'how many records', parseInteger('--count', 0), 10)
    .option('--offset <k>', 'index of the first record: records k .. k+n-1 of the same data set', parseInteger('--offset', 0), 0)
    .option('--seed <s>', 'seed of the data set (0 to 4294967295)', parseInteger('--seed', 0, 0xffffffff), 1)
    .option('--trait <trait>', 'apply a trait, repeatable, in order', traitOption)
    .option('--format <format>', 'ndjson (one record per line) or json (one array)', oneOf('--format', ['ndjson', 'json'] as const), 'ndjson')
    .option('--out <file>', 'write to a file instead of stdout')
    .option(...profileOption)
    .addHelpText(
      'after',
      `
Traits:
${traitHelp}

The same options print the same bytes on any day and machine. Record i depends only on the seed, the traits
and i, so NDJSON slices concatenate to the whole: --count 500 --offset 0 and --count 500 --offset 500 give
exactly the 1,000 records of --count 1000.

Examples:
  vppkit generate --count 3 --seed 42
  vppkit generate --kind response --trait expired --format json --out expired.json
  vppkit generate --count 1000000 --offset "$((SHARD * 1000000))" | gzip > shard.ndjson.gz`,
    )
    .action(async (unexpected: string[], opts: { kind: 'request' | 'response'; count: number; offset: number; seed: number; trait?: VppTokenTrait[]; format: 'ndjson' | 'json'; out?: string; profile: Profile }) => {
      if (unexpected.length) {
        const hint = /^\d+$/.test(unexpected[0]) ? `: did you mean --count ${unexpected[0]}?` : '';
        throw new UsageError(`generate takes no arguments (got ${JSON.stringify(unexpected[0])})${hint}`);
      }
      checkTraits(opts.profile, opts.trait);
      const { writeGenerated } = await import('../fixtures');
      const options = { kind: opts.kind, count: opts.count, offset: opts.offset, seed: opts.seed, traits: opts.trait ?? [], format: opts.format, profile: opts.profile };
      if (!opts.out) {
        await writeGenerated(options, ctx.stdout);
        return;
      }
      const file = createWriteStream(opts.out);
      try {
        await writeGenerated(options, file);
        file.end();
        await finished(file);
      } catch (error) {
        throw new UsageError(`cannot write ${opts.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    });
}
