/**
 * jest matchers for Graph vppTokens, judged by the kit's schemas with the same pointer-level problems as
 * `vppkit validate`:
 *
 *   // jest.config.js
 *   setupFilesAfterEnv: ['vpptokens-contract-kit/jest']
 *
 *   expect(body).toBeValidVppTokenCreateRequest();        // Graph beta
 *   expect(body).toBeValidVppTokenCreateRequest('v1.0');  // Graph v1.0
 *   expect(created).toBeValidVppToken('v1.0');
 *   expect(answer).toBeGraphError();
 *
 * Importing this module registers the matchers on jest's global `expect` and brings their TypeScript
 * declarations (for type checking, list it in tsconfig `types` or import it once in a .d.ts).
 */
import { DEFAULT_PROFILE, toProfile, type Profile, type SchemaKind } from '../schemas';
import { formatProblems, problemsOf } from '../validation';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when the value is a valid body of POST /deviceAppManagement/vppTokens in Graph `profile` (default beta). */
      toBeValidVppTokenCreateRequest(profile?: Profile): R;
      /** Passes when the value is a valid created vppToken (a 201 body) in Graph `profile` (default beta). */
      toBeValidVppToken(profile?: Profile): R;
      /** Passes when the value is Graph's error body: `{ error: { code, message, ... } }`. */
      toBeGraphError(profile?: Profile): R;
    }
  }
}

interface MatcherContext {
  isNot: boolean;
  utils: { matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string };
}

interface MatcherResult {
  pass: boolean;
  message(): string;
}

const what: Record<Exclude<SchemaKind, 'actionResult'>, string> = {
  request: 'vppToken create request',
  response: 'vppToken',
  error: 'error body',
};

function judge(context: MatcherContext, name: string, kind: Exclude<SchemaKind, 'actionResult'>, received: unknown, profile: Profile | undefined): MatcherResult {
  const chosen = toProfile(profile ?? DEFAULT_PROFILE);
  const problems = problemsOf(kind, received, chosen);
  const pass = problems.length === 0;
  const hint = context.utils.matcherHint(name, undefined, profile === undefined ? '' : JSON.stringify(profile), { isNot: context.isNot });
  const label = `a valid Graph ${chosen} ${what[kind]}`;
  return {
    pass,
    message: () =>
      pass
        ? `${hint}\n\nExpected the value not to be ${label}, but it is.`
        : `${hint}\n\nExpected ${label}, but found ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n')}`,
  };
}

/** The matchers, for `expect.extend(vppkitMatchers)` where the automatic registration does not fit. */
export const vppkitMatchers = {
  toBeValidVppTokenCreateRequest(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeValidVppTokenCreateRequest', 'request', received, profile);
  },
  toBeValidVppToken(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeValidVppToken', 'response', received, profile);
  },
  toBeGraphError(this: MatcherContext, received: unknown, profile?: Profile): MatcherResult {
    return judge(this, 'toBeGraphError', 'error', received, profile);
  },
};

const globalExpect = (globalThis as { expect?: { extend(matchers: object): void } }).expect;
if (globalExpect && typeof globalExpect.extend === 'function') globalExpect.extend(vppkitMatchers);
