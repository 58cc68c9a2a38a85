import { readPactFile } from '../compare';
import type { RequestFilter } from './types';

/** Statuses an interaction expects when the credential it carries is to be refused: Graph's 401 and 403. */
const REFUSED = new Set([401, 403]);

/**
 * The Authorization values a consumer wrote to be refused (decision 0211): each one the pacts give only to
 * interactions that expect 401 or 403, such as an expired or a wrong bearer. A value that an interaction expecting
 * anything else carries too is a good credential's placeholder, and `--bearer` replaces it everywhere. Pacts read
 * from a broker are not known before Pact fetches them: nothing is kept for them.
 */
export function refusedCredentials(pactFiles: readonly string[]): Set<string> {
  const refused = new Set<string>();
  const good = new Set<string>();
  for (const file of pactFiles) {
    let interactions;
    try {
      interactions = readPactFile(file).interactions;
    } catch {
      continue; // checked before the run (checkVerifyOptions); Pact says what is wrong with it
    }
    for (const { request, response } of interactions) {
      const credential = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1]?.trim();
      if (credential !== undefined) (REFUSED.has(response.status) ? refused : good).add(credential);
    }
  }
  for (const credential of good) refused.delete(credential);
  return refused;
}

/**
 * The bearer option as a request filter: the token of a request that carries an Authorization header is replaced
 * (an unauthenticated request stays so), except a credential the pacts mean to be refused (`refusedCredentials`).
 */
export function bearerFilter(bearer: string, keep: ReadonlySet<string>, next?: RequestFilter): RequestFilter {
  return (req, res, done) => {
    const credential = req.headers.authorization;
    if (credential !== undefined && !keep.has(credential.trim())) req.headers.authorization = `Bearer ${bearer}`;
    if (next) next(req, res, done);
    else done();
  };
}
