// buildProgram() called without a context (the help text, a tool listing the commands) read process.stdin at once:
// Node makes a stdin stream on that first read (a TTY or pipe handle opened, and a reader that may keep a process
// alive). It is read only when a command reads its input. Decision 1141.
import { buildProgram } from '../../src/cli/main';

it('builds the program without a context and touches process.stdin only when it is read', () => {
  const own = Object.getOwnPropertyDescriptor(process, 'stdin');
  let reads = 0;
  Object.defineProperty(process, 'stdin', { configurable: true, enumerable: true, get: () => (reads++, own?.get ? own.get.call(process) : own?.value) });
  try {
    const program = buildProgram();
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['validate', 'seed', 'check-client']));
    expect(reads).toBe(0);
    // The other way: the spy sees a read, so a count of 0 above is no spy that counts nothing.
    void process.stdin;
    expect(reads).toBe(1);
  } finally {
    if (own) Object.defineProperty(process, 'stdin', own);
  }
});
