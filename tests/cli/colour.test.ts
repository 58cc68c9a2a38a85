// When vppkit colours its output, and how colour codes are taken out of Pact's report otherwise.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { colourWanted } from '../../src/cli/colour';
import { stripAnsi } from '../../src/verification/worker';
import { escapeControls } from '../../src/net/redact';

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

// Found by an outside tester (H19): a provider's control characters, quoted in Pact's report, reached the terminal
// raw: an OSC escape set its title, BEL rang, a bare CR overwrote the failure line.
describe("a provider's control characters in verify's report", () => {
  const hostile = "Expected 'ok\u001b]0;pwned\u0007\u0001\u009b\rOVERWRITTEN' (String)\r\n";
  it('are written as escapes, on a terminal (colour kept) and off it, also cut between two chunks', async () => {
    for (const keepColour of [false, true]) {
      const input = `has status code \u001b[1m201\u001b[0m ${hostile}`;
      const expected = `has status code ${keepColour ? '\u001b[1m201\u001b[0m' : '201'} Expected 'ok\\u001b]0;pwned\\u0007\\u0001\\u009b\\rOVERWRITTEN' (String)\r\n`;
      for (let cut = 0; cut <= input.length; cut++) {
        const chunks = [input.slice(0, cut), input.slice(cut)].map((c) => Buffer.from(c));
        expect([keepColour, cut, await text(Readable.from(chunks).pipe(stripAnsi({ keepColour })))]).toEqual([keepColour, cut, expected]);
      }
    }
  });

  it("are escaped in the kit's own line too: escapeControls keeps line ends, tabs and colour", () => {
    expect(escapeControls('a\tb\nc\u001b[31md\u001b[0m')).toBe('a\tb\nc\u001b[31md\u001b[0m');
    expect(escapeControls('x\u001b]0;t\u0007\ry')).toBe('x\\u001b]0;t\\u0007\\ry');
  });

  // Decision 0328's gap: Pact colours its report with SGR codes (ESC [ ... m) only, so a provider's other escape
  // codes (clear the screen, move the cursor, hide it) are the provider's bytes, written out on a terminal and off it.
  it("keep only colour codes: a provider's ESC [2J, ESC [H or ESC [?25l is written out, with colour and without", async () => {
    const input = "Expected 'a\u001b[2Jb\u001b[Hc\u001b[?25ld' \u001b[31mred\u001b[0m\n";
    for (const keepColour of [false, true]) {
      const expected = `Expected 'a\\u001b[2Jb\\u001b[Hc\\u001b[?25ld' ${keepColour ? '\u001b[31mred\u001b[0m' : 'red'}\n`;
      for (let cut = 0; cut <= input.length; cut++) {
        const chunks = [input.slice(0, cut), input.slice(cut)].map((c) => Buffer.from(c));
        expect([keepColour, cut, await text(Readable.from(chunks).pipe(stripAnsi({ keepColour })))]).toEqual([keepColour, cut, expected]);
      }
    }
    expect(escapeControls('a\u001b[2Jb\u001b[1;31mc')).toBe('a\\u001b[2Jb\u001b[1;31mc');
  });
});
