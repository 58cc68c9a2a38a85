// What a test starts ends with the test, whether it passed, failed or timed out (decision 0357). A test that timed
// out is left by jest while its own `finally` still waits for the run it awaited: a conform run went on sending to a
// provider that went on answering, into the next test file of the worker. jest runs afterEach after such a test too.
// Aborted, a run drops its requests in flight and sends no more, and the test's `finally` closes what it started.
let ending = new AbortController();

function endTest(): void {
  ending.abort(new Error('the test ended'));
  ending = new AbortController();
}
afterEach(endTest);
// A run started in beforeAll ends with the file.
afterAll(endTest);

/** Aborted when the running test ends (or, outside a test, the file): give it to a run as its `signal`. */
export function testEnd(): AbortSignal {
  return ending.signal;
}
