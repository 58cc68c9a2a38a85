// Outside tester N25: the reproduction line `TOKEN=... curl ... -H "Authorization: Bearer $TOKEN"` sent an empty
// bearer once filled in (a prefix assignment reaches curl's environment, while "$TOKEN" in its arguments is expanded
// before, from the shell's own variables: POSIX Shell Command Language §2.9.1), and a header named Home or Path read
// the shell's own $HOME or $PATH. The line, filled in, must send what conform sent: checked by a shell.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BODY_LIMIT } from '../../src/provider';
import { drawFamily, families } from '../../src/conform/cases';
import { bodyBytesOf, type ConformCase } from '../../src/conform/case';
import { curlOf, headerVariable, reproduceLine } from '../../src/conform/report';

it('names a header variable that is no shell variable of its own: Home, Path, User', () => {
  expect(['Home', 'Path', 'User', 'Ocp-Apim-Subscription-Key'].map(headerVariable)).toEqual(['$VPPKIT_HEADER_HOME', '$VPPKIT_HEADER_PATH', '$VPPKIT_HEADER_USER', '$VPPKIT_HEADER_OCP_APIM_SUBSCRIPTION_KEY']);
});

it('assigns its variables before the command that reads them, so a shell sends the values filled in', () => {
  const curl = `printf '%s|' -H "Home: ${headerVariable('Home')}" -H "Authorization: Bearer $TOKEN"`;
  const line = reproduceLine({ curl, replay: { kind: 'valid', extraHeaders: ['Home'] } } as never);
  expect(line).toBe(`TOKEN=... VPPKIT_HEADER_HOME=...; ${curl}`);
  const filled = line.replace('TOKEN=...', 'TOKEN=the-bearer').replace('VPPKIT_HEADER_HOME=...', 'VPPKIT_HEADER_HOME=the-key');
  expect(execFileSync('sh', ['-c', filled], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/home/someone' } })).toBe('-H|Home: the-key|-H|Authorization: Bearer the-bearer|');
});

// Outside tester N26: the curl line of a valid create of 1 MiB or 4 MB gave the body as one argument, and Linux
// refuses to start a program with an argument over 128 KiB (MAX_ARG_STRLEN; execve(2), E2BIG): "curl: Argument list
// too long". Each line is run by a shell here, its curl a stand-in program on PATH that a shell starts as it would
// curl, writing the body it was given (its --data-binary, or stdin for @-): the bytes must be the ones conform sent.
describe('the curl line of a large body', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vppkit-curl-'));
  const got = join(dir, 'body');
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = --data-binary ]; then if [ "$2" = @- ]; then cat > '${got}'; else printf '%s' "$2" > '${got}'; fi; fi; shift; done\n`);
  chmodSync(join(dir, 'curl'), 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const large = families({ runs: 1, perFamily: 1, seed: 5, bodyLimit: DEFAULT_BODY_LIMIT, graphsLimit: true })
    .filter((f) => f.count === 1 && f.kind !== 'invalid')
    .map((f) => drawFamily(f, 1, 1)[0])
    .filter((c) => bodyBytesOf(c) !== undefined && bodyBytesOf(c)!.length > 100 * 1024 && c.bodyEncoding !== 'latin1');
  // A body conform did not build as a shell expression (a replayed report's), quotes in it.
  const quoted: ConformCase = { kind: 'valid', family: "a replayed create with 'quotes'", headers: { 'Content-Type': 'application/json' }, body: `{"token":"t","displayName":"${"it's ".repeat(40_000)}"}` };

  it.each([...large, quoted].flatMap((c) => ['bash', 'sh'].map((shell) => [c.family, shell, c] as const)))('%s runs in %s, and sends the bytes conform sent', (_family, shell, c) => {
    const line = reproduceLine({ curl: curlOf('http://127.0.0.1:9/beta/deviceAppManagement/vppTokens', c), replay: undefined } as never).replace('TOKEN=...', 'TOKEN=the-bearer');
    rmSync(got, { force: true });
    // From a script file, as a user saves the line: a shell started with a line this long as its own argument would not start.
    writeFileSync(join(dir, 'reproduce.sh'), `${line}\n`);
    execFileSync(shell, [join(dir, 'reproduce.sh')], { env: { PATH: `${dir}:${process.env.PATH}` }, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(readFileSync(got).equals(bodyBytesOf(c)!)).toBe(true);
  });

  it('covers the sizes of a default run: 100 KB + 1, 1 MiB + 1, 4 MB and 4 MiB + 1 bytes', () => {
    expect(large.map((c) => bodyBytesOf(c)!.length).sort((a, b) => a - b)).toEqual([102401, 1048577, 4000000, 4194305]);
  });
});
