// An in-process verifyProvider's report is Pact's own, coloured whatever NO_COLOR says (decision 0761, outside
// finding R84): Pact's native verifier writes it to the process's descriptor 1 itself, and pact-core gives no
// switch for its colour. This holds that reason: the day pact-core binds one, this fails, and verifyProvider should
// call it (and the README's words and decision 0761 be rewritten). verifyInWorker's report is the clean one
// (tests/verification/verify-options.test.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

describe("Pact's coloured report from an in-process verifyProvider", () => {
  it("pact-core, as verify resolves it, binds the native verifier's set-up and no switch for its colour", () => {
    const fromPactJs = createRequire(require.resolve('@pact-foundation/pact/src/dsl/verifier/verifier'));
    // pact-core's ffi module sits beside its main entry: src/ in pact-core 19 (pact-js 16), dist/ in 20 (pact-js 17).
    const { getFfiLib } = fromPactJs(join(dirname(fromPactJs.resolve('@pact-foundation/pact-core')), 'ffi')) as { getFfiLib: (level?: string) => Record<string, unknown> };
    const bindings = Object.keys(getFfiLib('error'));
    // These are the verifier's bindings (so the list read is the right one, not an empty object)...
    expect(bindings).toEqual(expect.arrayContaining(['pactffiVerifierNewForApplication', 'pactffiVerifierSetVerificationOptions', 'pactffiVerifierExecute']));
    // ...and none of them is the native library's pactffi_verifier_set_coloured_output, in any spelling.
    expect(bindings.filter((name) => /colou?r/i.test(name))).toEqual([]);
  });
});
