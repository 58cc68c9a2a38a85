// Messages a user can act on (issue 15, item 6), through the CLI in-process.
import { run } from '../support/run-cli';

describe('commander\'s own errors in the kit\'s one line', () => {
  it.each([
    [['verify', '--nope'], "vppkit: unknown option '--nope' (run vppkit verify --help for usage)\n"],
    [['--nope'], "vppkit: unknown option '--nope' (run vppkit --help for usage)\n"],
    [['no-such-command'], "vppkit: unknown command 'no-such-command' (run vppkit --help for usage)\n"],
    [['seed', '--count', '1'], "vppkit: required option '--target <url>' not specified (run vppkit seed --help for usage)\n"],
    [['generate', '--seed'], "vppkit: option '--seed <s>' argument missing (run vppkit generate --help for usage)\n"],
  ])('%j', async (args, line) => {
    const result = await run(args);
    expect([result.code, result.stderr, result.stdout]).toEqual([2, line, '']);
  });
});
