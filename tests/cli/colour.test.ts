// When vppkit colours its output, and how colour codes are taken out of Pact's report otherwise.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { colourWanted } from '../../src/cli/colour';
import { stripAnsi } from '../../src/verification/worker';

describe('colour', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('is wanted for a stream %j with %j: %s', (stream, env, wanted) => {
    expect(colourWanted(stream, env as NodeJS.ProcessEnv)).toBe(wanted);
  });

  it('strips colour codes, also one cut between two chunks', async () => {
    const coloured = 'has status code \u001b[1m201\u001b[0m (\u001b[32mOK\u001b[0m)\n';
    for (let cut = 0; cut <= coloured.length; cut++) {
      const chunks = [coloured.slice(0, cut), coloured.slice(cut)].map((c) => Buffer.from(c));
      expect(await text(Readable.from(chunks).pipe(stripAnsi()))).toBe('has status code 201 (OK)\n');
    }
  });
});
