// Outside tester N25: the reproduction line `TOKEN=... curl ... -H "Authorization: Bearer $TOKEN"` sent an empty
// bearer once filled in (a prefix assignment reaches curl's environment, while "$TOKEN" in its arguments is expanded
// before, from the shell's own variables: POSIX Shell Command Language §2.9.1), and a header named Home or Path read
// the shell's own $HOME or $PATH. The line, filled in, must send what conform sent: checked by a shell.
import { execFileSync } from 'node:child_process';
import { headerVariable, reproduceLine } from '../../src/conform/report';

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
