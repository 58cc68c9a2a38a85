// The jest matchers on a provider's traffic, each both ways, on the tiny clients of tests/behaviour (fake clock).
import 'vpptokens-contract-kit/jest';
import { judgeClientBehaviour } from '../../src/behaviour';
import { startReferenceProvider } from '../../src/provider';
import { ALWAYS_503, ALWAYS_503_AT_ONCE, BREAKS, CORRECT, MIXED, runTinyClient } from '../behaviour/tiny-clients';

function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(/\u001b\[\d+m/g, '');
  }
  throw new Error('the assertion passed');
}

describe('traffic matchers', () => {
  it('pass a correct client under every kind of fault, and .not fails saying so', async () => {
    const { traffic } = await runTinyClient(MIXED, CORRECT);
    expect(traffic).toHonourRetryAfter();
    expect(traffic).toCreateEachTokenOnce();
    expect(traffic).toBoundRetries();
    expect(traffic).toLoseNoTokenSilently();
    expect(traffic).toBehaveUnderFailure();
    expect(failure(() => expect(traffic).not.toCreateEachTokenOnce())).toMatch(/expect\(traffic\)\.not\.toCreateEachTokenOnce\(\)\n\nExpected the client not to create each token once, but it did \(\d+ creates of 8 tokens\)\.$/);
  });

  it('toCreateEachTokenOnce fails a blind retrier, naming the answer it re-sent after', async () => {
    const { traffic } = await runTinyClient(MIXED, BREAKS['no duplicate']);
    expect(traffic).toHonourRetryAfter();
    expect(traffic).not.toCreateEachTokenOnce();
    const message = failure(() => expect(traffic).toCreateEachTokenOnce());
    expect(message).toMatch(/^expect\(traffic\)\.toCreateEachTokenOnce\(\)\n\nExpected the client to create each token once, but found \d+ findings?:\n  no duplicate: token \d+ was created again by request \d+/);
    expect(message).toMatch(/after a (504|reset) after the create/);
    expect(failure(() => expect(traffic).toBehaveUnderFailure())).toContain('no duplicate: ');
    // As asymmetric matchers (outside finding R80): the failure says the findings where jest prints what was expected.
    expect({ traffic }).toEqual({ traffic: expect.toHonourRetryAfter() });
    expect({ traffic }).toEqual({ traffic: expect.not.toCreateEachTokenOnce() });
    expect(failure(() => expect({ traffic }).toEqual({ traffic: expect.toCreateEachTokenOnce() }))).toMatch(
      /\n- {3}"traffic": toCreateEachTokenOnce<>\n- {3}Expected the client to create each token once, but found \d+ findings?:\n- {5}no duplicate: token \d+ was created again by request \d+/,
    );
  });

  it('toHonourRetryAfter fails a client that waits 100 ms after Retry-After: 1', async () => {
    const { traffic } = await runTinyClient(MIXED, BREAKS['retry-after']);
    expect(traffic).toCreateEachTokenOnce();
    expect(failure(() => expect(traffic).toHonourRetryAfter())).toMatch(/retry-after: request \d+ re-sent token \d+ 100 ms after the (429|503) to request \d+ ended, which said Retry-After: 1 \(wait at least 1000 ms\)/);
  });

  it('toBoundRetries fails 15 attempts, and takes another limit', async () => {
    const { traffic } = await runTinyClient(ALWAYS_503_AT_ONCE, BREAKS['bounded retries']);
    expect(failure(() => expect(traffic).toBoundRetries())).toContain('bounded retries: token 1 was sent in 15 requests');
    expect(traffic).toBoundRetries({ maxAttempts: 15 });
  });

  // Outside tester P7: toBoundRetries(2) and { maxAttemps: 2 } passed (the default 10 in force) traffic that
  // { maxAttempts: 2 } fails. A JavaScript suite has no declarations to stop them: the matcher refuses, under .not too.
  it('refuse an option given bare, misspelt, of another matcher or of the wrong kind, naming what each takes', async () => {
    const { traffic } = await runTinyClient(ALWAYS_503_AT_ONCE, BREAKS['bounded retries']);
    expect(failure(() => expect(traffic).toBoundRetries({ maxAttempts: 2 }))).toContain('bounded retries: token 1 was sent in 15 requests');
    expect(traffic).toBoundRetries({ maxAttempts: 15 });
    const refusals: [() => void, RegExp][] = [
      [() => expect(traffic).toBoundRetries(2 as never), /^toBoundRetries takes its options in an object \{ maxAttempts \} \(got 2\)$/],
      [() => expect(traffic).not.toBoundRetries(2 as never), /^toBoundRetries takes its options in an object \{ maxAttempts \} \(got 2\)$/],
      [() => expect(traffic).toBoundRetries({ maxAttemps: 2 } as never), /^toBoundRetries takes its options in an object \{ maxAttempts \}: "maxAttemps" is not one of them$/],
      [() => expect(traffic).toBoundRetries({ concurrency: 4 } as never), /^toBoundRetries takes .*: "concurrency" is not one of them$/],
      [() => expect(traffic).toBoundRetries({ maxAttempts: '2' } as never), /^maxAttempts must be a whole number of at least 1 \(got "2"\)$/],
      [() => expect(traffic).toHonourRetryAfter(16 as never), /^toHonourRetryAfter takes its options in an object \{ concurrency \} \(got 16\)$/],
      [() => expect(traffic).toLoseNoTokenSilently(false as never), /^toLoseNoTokenSilently takes its options in an object \{ clientSucceeded \} \(got false\)$/],
      [() => expect(traffic).toLoseNoTokenSilently({ clientSucceeded: 'false' } as never), /^clientSucceeded must be true or false \(got "false"\)$/],
      [() => expect(traffic).toBehaveUnderFailure({ concurency: 16, maxAttemps: 2 } as never), /^toBehaveUnderFailure takes its options in an object \{ maxAttempts, clientSucceeded, concurrency, profile \}: "concurency", "maxAttemps" are not among them$/],
      [() => expect(traffic).toBehaveUnderFailure({ profile: 'v2' } as never), /^profile must be one of beta, v1\.0 \(got "v2"\)$/],
      [() => expect(traffic).toBehaveUnderFailure(null as never), /^toBehaveUnderFailure takes its options in an object .* \(got null\)$/],
      [() => (expect(traffic).toCreateEachTokenOnce as (options: unknown) => void)({ maxAttempts: 2 }), /^toCreateEachTokenOnce takes no options \(got an object\)$/],
    ];
    for (const [assertion, message] of refusals) expect(failure(assertion)).toMatch(message);
    // The judgement the matchers call, the same rule under its own name.
    expect(() => judgeClientBehaviour(traffic, 2 as never)).toThrow(new TypeError('judgeClientBehaviour takes its options in an object { maxAttempts, clientSucceeded, concurrency, profile } (got 2)'));
    expect(() => judgeClientBehaviour(traffic, { maxAttemps: 2 } as never)).toThrow(/"maxAttemps" is not one of them/);
    expect(judgeClientBehaviour(traffic, { maxAttempts: 15, clientSucceeded: false, concurrency: 1, profile: 'v1.0' }).checks.find((c) => c.name === 'bounded retries')?.passed).toBe(true);
  });

  it('toLoseNoTokenSilently fails a client that gave up quietly, and passes one that failed loudly', async () => {
    const quiet = await runTinyClient(ALWAYS_503, BREAKS['no silent loss']);
    expect(quiet.succeeded).toBe(true);
    expect(failure(() => expect(quiet.traffic).toLoseNoTokenSilently())).toContain('no silent loss: token 1 was sent in 1 request (1) and never created, yet the client reported success');
    const loud = await runTinyClient(ALWAYS_503, CORRECT);
    expect(loud.succeeded).toBe(false);
    expect(loud.traffic).toLoseNoTokenSilently({ clientSucceeded: loud.succeeded });
  });

  it('take the provider itself, and say what to do when it kept no traffic', async () => {
    const provider = await startReferenceProvider();
    try {
      expect(failure(() => expect(provider).toCreateEachTokenOnce())).toMatch(/but there is none: start the provider with `faults` or `recordTraffic: true`\.$/);
    } finally {
      await provider.close();
    }
    const recording = await startReferenceProvider({ recordTraffic: true });
    try {
      const headers = { Authorization: 'Bearer matcher', 'Content-Type': 'application/json' };
      await fetch(`${recording.url}/beta/deviceAppManagement/vppTokens`, { method: 'POST', headers, body: JSON.stringify({ token: 'matcher-token-'.repeat(4) }) });
      expect(recording).toBehaveUnderFailure();
    } finally {
      await recording.close();
    }
  });

  // Outside tester G6: a client that never reached the provider, or only a wrong path, passed every matcher.
  it('fail traffic that holds no create, saying what it holds and what to check', async () => {
    const empty = failure(() => expect([]).toCreateEachTokenOnce());
    expect(empty).toMatch(/Expected the client's traffic to hold at least one create of a vppToken \(POST \.\.\.\/deviceAppManagement\/vppTokens\), but it holds none \(no request at all\): is the client pointed at provider\.url\?$/);
    for (const matcher of ['toHonourRetryAfter', 'toBoundRetries', 'toLoseNoTokenSilently', 'toBehaveUnderFailure'] as const) expect(() => expect([])[matcher]()).toThrow(/holds none/);
    const provider = await startReferenceProvider({ recordTraffic: true });
    try {
      const headers = { Authorization: 'Bearer matcher', 'Content-Type': 'application/json' };
      for (let i = 0; i < 2; i++) await fetch(`${provider.url}/beta/deviceAppManagement/vppToken`, { method: 'POST', headers, body: '{"token":"matcher-token-0123456789"}' });
      expect(failure(() => expect(provider).toBehaveUnderFailure())).toMatch(/but it holds none \(2 requests: 404 at POST \/beta\/deviceAppManagement\/vppToken\): is the client pointed at provider\.url\?$/);
      expect(failure(() => expect(provider).not.toBehaveUnderFailure())).toMatch(/^expect\(traffic\)\.not\.toBehaveUnderFailure\(\)\n\nExpected the client's traffic to hold at least one create .* but it holds none \(2 requests: 404 at POST/);
    } finally {
      await provider.close();
    }
  });

  // Outside tester G6, rest: nothing to judge read as "the client does not behave", so `.not` passed on it.
  it('under .not too: no create, or no traffic at all, is neither verdict', () => {
    for (const matcher of ['toHonourRetryAfter', 'toCreateEachTokenOnce', 'toBoundRetries', 'toLoseNoTokenSilently', 'toBehaveUnderFailure'] as const) {
      expect(failure(() => expect([]).not[matcher]())).toMatch(/but it holds none \(no request at all\): is the client pointed at provider\.url\?$/);
      expect(failure(() => expect({}).not[matcher]())).toMatch(/but there is none: start the provider with `faults` or `recordTraffic: true`\.$/);
      expect(failure(() => expect(undefined)[matcher]())).toMatch(/but there is none/);
    }
  });

  it('under .not, traffic that holds a create is still judged: a client that breaks a check passes .not', async () => {
    const { traffic } = await runTinyClient(MIXED, BREAKS['no duplicate']);
    expect(traffic).not.toBehaveUnderFailure();
  });
});
