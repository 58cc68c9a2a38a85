// The one rule for "every request failed the same way: say the likely cause once" (issue 15 item 6).
import { likelyCause, targetQuestions } from '../../src/net';

const questions = targetQuestions('--target');

describe('likelyCause', () => {
  it('names the cause when every failed request got the same set-up status', () => {
    expect(likelyCause([404, 404, 404], questions)).toBe('every request got 404: is the base path of --target right (such as https://graph.microsoft.com/beta, without /deviceAppManagement/vppTokens)?');
    expect(likelyCause([401], questions)).toBe('every request got 401: is --bearer a valid access token for this target, with DeviceManagementServiceConfig.ReadWrite.All?');
    expect(likelyCause([415, 415], questions, 3)).toBe('every request that failed (2 of 3) got 415: does the target take Content-Type: application/json?');
  });

  // Outside finding K9: a target that redirects every request is the URL given (decision 0285).
  it('names a redirect on every request as the URL given, whichever redirect status', () => {
    for (const status of [301, 302, 303, 307, 308]) {
      expect(likelyCause([status, status], questions)).toBe(`every request got ${status}: the target redirects (its Location says where), and vppkit follows no redirect: is --target the URL that answers itself (https rather than http, its host and base path as the target names them)?`);
    }
    expect(likelyCause([307, 308], questions)).toBeUndefined();
    expect(likelyCause([304, 304], questions)).toBeUndefined();
  });

  it('says nothing for mixed statuses, a request without an answer, a status it has no question for, or one failure among many', () => {
    expect(likelyCause([404, 401], questions)).toBeUndefined();
    expect(likelyCause([404, undefined], questions)).toBeUndefined();
    expect(likelyCause([null], questions)).toBeUndefined();
    expect(likelyCause([500, 500], questions)).toBeUndefined();
    expect(likelyCause([400, 400], questions)).toBeUndefined();
    expect(likelyCause([404], questions, 17)).toBeUndefined();
    expect(likelyCause([], questions)).toBeUndefined();
    expect(likelyCause([404, 404], { 401: 'the bearer?' })).toBeUndefined();
  });
});
