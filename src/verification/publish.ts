// What verify --publish sends to the Pact Broker: the run's own verdict of each interaction (decision 0286).
import { formatAnswerProblem } from '../judgement';
import type { AnswerProblem } from '../judgement';
import type { FetchedPact, HeldResults } from './broker-relay';
import type { InteractionResult } from './types';

/** One entry of a verification result's `testResults`, as Pact's verifier writes it (pact-reference `build_payload`). */
interface TestResult {
  interactionId?: string;
  interactionDescription?: string;
  success: boolean;
  mismatches?: { attribute: string; identifier?: string; description: string }[];
  exceptions?: { message: string }[];
}

/** A finding of the kit's judgement as one of Pact's mismatches: the part as the attribute (`status`, `header`, `body`, ...), the header's name or the JSON pointer as the identifier. */
const mismatchOf = (p: AnswerProblem): { attribute: string; identifier?: string; description: string } => ({
  attribute: p.part,
  ...(p.header !== undefined ? { identifier: p.header } : p.pointer !== undefined ? { identifier: p.pointer || '/' } : {}),
  description: formatAnswerProblem(p),
});

/**
 * Pact's results for each pact it verified, with the run's own verdicts: an interaction the kit's judgement failed
 * (the schemas, credentials not echoed), which Pact passed, is published as failed, its findings added to Pact's
 * mismatches; `success` is true only when every interaction of the pact passed by the kit's verdict. `verdicts` are
 * the run's interactions in the order Pact verified them (pact after pact, each pact's interactions in its order,
 * those `interaction` selects). When the pacts held and the verdicts do not line up, no pact is published as a
 * success the run does not give: each is published with `success` only if Pact's and the run's both passed.
 */
export function ownResults(held: readonly HeldResults[], fetched: readonly { interactions: { description: string }[] }[], verdicts: readonly InteractionResult[], runPassed: boolean, interaction?: string): { path: string; body: Record<string, unknown>; pact: FetchedPact }[] {
  // Each fetched pact's share of the verdicts, in the order Pact verified them.
  const shares = new Map<object, InteractionResult[] | undefined>();
  let cursor = 0;
  let aligned = true;
  for (const pact of fetched) {
    const verified = pact.interactions.filter((i) => interaction === undefined || i.description.includes(interaction));
    const share = verdicts.slice(cursor, cursor + verified.length);
    cursor += verified.length;
    if (share.length !== verified.length || share.some((v, i) => v.description !== verified[i].description)) aligned = false;
    shares.set(pact, share);
  }
  if (cursor !== verdicts.length) aligned = false;
  return held.map(({ path, pact, body }) => {
    const share = aligned ? shares.get(pact) : undefined;
    if (!share) return { path, pact, body: { ...body, success: body.success === true && runPassed } };
    const verified = pact.interactions.filter((i) => interaction === undefined || i.description.includes(interaction)) as { id?: string; description: string }[];
    const pacts = Array.isArray(body.testResults) ? (body.testResults as TestResult[]) : [];
    const testResults = verified.map((one, i): TestResult => {
      const verdict = share[i];
      const own = pacts.find((r) => one.id !== undefined && r.interactionId === one.id);
      const kit = verdict.answerProblems.map(mismatchOf);
      const mismatches = [...(own?.mismatches ?? []), ...kit];
      const exceptions = [...(own?.exceptions ?? []), ...(verdict.setupFailure && !own?.exceptions?.length ? [{ message: verdict.setupFailure }] : [])];
      return {
        ...(one.id !== undefined ? { interactionId: one.id } : {}),
        interactionDescription: one.description,
        success: verdict.passed,
        ...(mismatches.length ? { mismatches } : {}),
        ...(exceptions.length ? { exceptions } : {}),
      };
    });
    return { path, pact, body: { ...body, success: testResults.every((r) => r.success), testResults } };
  });
}

/**
 * The first pact Pact verified (an interaction of it run: `interaction` selects) and sent no results for, which the
 * run cannot publish (decision 0720): Pact records a provider branch first and sends nothing when the broker has no
 * link for it. A pact whose publish link Pact posted to is sent (the same pact listed twice is posted twice).
 */
export function unsentPact(fetched: readonly FetchedPact[], held: readonly HeldResults[], interaction?: string): FetchedPact | undefined {
  return unsentPacts(fetched, held, interaction)[0];
}

/** Every pact Pact verified and sent no results for (unsentPact), in the order fetched. */
export function unsentPacts(fetched: readonly FetchedPact[], held: readonly HeldResults[], interaction?: string): FetchedPact[] {
  const sent = new Set(held.map((h) => h.path));
  return fetched.filter((pact) => pact.interactions.some((i) => interaction === undefined || i.description.includes(interaction)) && !(pact.publishPath !== undefined && sent.has(pact.publishPath)));
}
