// Review of round 18: which dependency fails a request inside a JSON batch (any status but 2xx: Graph answers the
// request 424 without running it, learn.microsoft.com/graph/json-batching) was written three times: the judgement's
// failedDependencyOf on a batch's answer, the mock's run and the proxy's drawn faults. One rule, failedDependencyIn,
// and one constant, FAILED_DEPENDENCY.
import { FAILED_DEPENDENCY, batchIdKey, batchRunOrder, batchedAnswer, failedDependencyAnswer, failedDependencyIn, failedDependencyMessage, failedDependencyOf, type BatchRequestMember } from '../../src/judgement';

const batchAnswer = (responses: { id: string; status: number }[]) => ({ status: 200, headers: {}, rawHeaders: ['Content-Type', 'application/json'], body: JSON.stringify({ responses }) });

describe('the one rule of a failed dependency', () => {
  const statuses = new Map([['ok', 201], ['read', 200], ['nocontent', 204], ['refused', 400], ['throttled', 429], ['notrun', FAILED_DEPENDENCY], ['moved', 302], ['interim', 199]]);
  const statusOf = (id: string) => statuses.get(id);

  it('names the first dependency answered with a status other than 2xx', () => {
    for (const failed of ['refused', 'throttled', 'notrun', 'moved', 'interim']) expect(failedDependencyIn(['ok', failed, 'refused'], statusOf)).toBe(failed);
  });

  it('names none when every dependency succeeded, none is named, or one has no answer', () => {
    expect(failedDependencyIn(['ok', 'read', 'nocontent'], statusOf)).toBeUndefined();
    expect(failedDependencyIn([], statusOf)).toBeUndefined();
    expect(failedDependencyIn(['unanswered'], statusOf)).toBeUndefined();
  });

  it("reads a batch's answer by the same rule, and words the 424 one way", () => {
    const answer = batchAnswer([...statuses].map(([id, status]) => ({ id, status })));
    for (const dependsOn of [['ok', 'throttled'], ['read', 'nocontent'], ['unanswered', 'moved']]) expect(failedDependencyOf(answer, dependsOn)).toBe(failedDependencyIn(dependsOn, statusOf));
    // Batch ids are read in any case (0215, decision 1110): dependsOn "REFUSED" names the answer "refused".
    expect(failedDependencyOf(answer, ['OK', 'Refused'])).toBe('Refused');
    expect(failedDependencyOf(answer, ['OK', 'READ'])).toBeUndefined();
    expect(FAILED_DEPENDENCY).toBe(424);
    expect(failedDependencyMessage('3', 429)).toBe('The request was not run: it depends on the request with the id "3", which failed (429).');
  });

  // Outside attacker R131 (decision 1110): one reading of batch ids, in any case, for the mock, the proxy and compare.
  it('reads the ids dependsOn names in any letter case, in the run order and in an answer, and a member\'s own answer by its id as echoed', () => {
    expect(batchIdKey('AfTer')).toBe(batchIdKey('after'));
    expect(batchIdKey('a')).not.toBe(batchIdKey('b'));
    const member = (id: string, dependsOn: string[] = []): BatchRequestMember => ({ id, index: 0, method: 'POST', target: '/x', rawHeaders: [], bytes: new Uint8Array(), dependsOn });
    expect(batchRunOrder([member('b', ['A']), member('a')]).map((m) => m.id)).toEqual(['a', 'b']);
    const answer = batchAnswer([{ id: 'a', status: 400 }, { id: 'b', status: FAILED_DEPENDENCY }]);
    expect(failedDependencyAnswer(answer, ['A'])).toEqual({ id: 'A', status: 400 });
    expect(failedDependencyAnswer(batchAnswer([{ id: 'a', status: 201 }]), ['A'])).toBeUndefined();
    // A member's own answer is the one echoing its id: "A" is no answer to the request "a".
    expect(batchedAnswer(answer, 'A')).toBe('the batch answer holds no response with the id "A"');
    expect(typeof batchedAnswer(answer, 'A', { anyCase: true })).toBe('object');
  });
});
