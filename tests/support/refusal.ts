/**
 * What `run` throws or rejects with, for a test of an argument the library refuses. Taken, whatever it started is
 * closed (a server's `close()`) and the test fails naming what was taken.
 */
export async function refusedWith(run: () => unknown): Promise<Error> {
  try {
    const started = await run();
    await (started as { close?: () => Promise<void> } | undefined)?.close?.();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the argument was taken');
}
