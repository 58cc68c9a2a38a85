// A client with habits, for the behaviour checks: it creates the vppTokens it is given and, depending on its
// habits, honours Retry-After or not, reads the list back after an unknown outcome or re-sends blindly, gives up
// after N attempts, and says so or not. One correct set of habits, and one set per check that breaks exactly it.
// Run as a process by check-client (argv[2]: habits as JSON, argv[3]: the bodies as JSON; waits are real), or
// imported by the in-process tests (waits move the provider's fake clock).

/**
 * readBack: how it reads back (default the whole list, every nextLink followed); the others are lists answered 200
 * that cannot show its vppToken: only the first page, another $filter, only the ids.
 * setsAsideThrottled: on a 429 or 503 it sets that create aside and sends the next token at once, then, after a round,
 * waits the longest Retry-After and sends again what it set aside (outside tester H27: it ignores the throttle for
 * every other token). parallel: that many creates at once, each worker backing off its own throttled create.
 * readsListAtEnd: once every create is done, reads the list until it is answered 200, each throttled read waited out
 * as a create is, or, with rereadsAtOnce, re-sent 5 ms after the 429 or 503 (outside tester J11).
 * @typedef {{ honoursRetryAfter: boolean, readsBackAfterUnknown: boolean, maxAttempts: number, reportsFailure: boolean, readBack?: 'whole list' | 'first page' | 'another filter' | 'ids only', setsAsideThrottled?: boolean, parallel?: number, readsListAtEnd?: boolean, rereadsAtOnce?: boolean }} Habits
 */

const { request } = require('node:http');

const AUTH = { Authorization: 'Bearer habits', 'Content-Type': 'application/json' };

/**
 * One request on a connection of its own, through node:http (decision 0551: fetch compiled undici's WebAssembly
 * parser in each client process, about 0.3 s of CPU). The outcome is what the habits read of fetch's: the status,
 * Retry-After and the JSON body of an answer read whole, or 'unknown' for anything else (a refused or reset
 * connection, an answer cut short, a body that is not JSON), as fetch's rejections and `json()`'s were.
 */
function send(url, init) {
  return new Promise((resolve) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const headers = { ...init.headers, ...(body === undefined ? {} : { 'Content-Length': body.length }) };
    const out = request(url, { method: init.method ?? 'GET', headers, agent: false }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('error', () => resolve('unknown'));
      answer.on('close', () => resolve('unknown')); // after 'end' a promise already resolved: no change
      answer.on('end', () => {
        if (!answer.complete) return resolve('unknown');
        try {
          resolve({ status: answer.statusCode, retryAfter: answer.headers['retry-after'] ?? null, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          resolve('unknown');
        }
      });
    });
    out.on('error', () => resolve('unknown'));
    out.end(body);
  });
}

/**
 * Creates each body through `base` (the collection URL). `wait(ms)` waits. Resolves with whether the client
 * reports success: every token created as far as it knows, or a failure it keeps quiet about.
 * @param {{ base: string, habits: Habits, bodies: { token: string }[], wait: (ms: number) => Promise<void> | void }} options
 */
async function createAll({ base, habits, bodies, wait }) {
  const pause = async (outcome) => {
    const seconds = outcome !== 'unknown' && outcome.retryAfter !== null ? Number(outcome.retryAfter) : undefined;
    await wait(habits.honoursRetryAfter && seconds !== undefined ? seconds * 1000 : 100);
  };
  const readBack = async () => {
    const tokens = new Set();
    const query = { 'another filter': "?$filter=displayName eq 'no such name'", 'ids only': '?$select=id' }[habits.readBack] ?? '?$top=5';
    let next = `${base}${query}`;
    for (let reads = 0; next !== undefined; reads++) {
      if (reads > 20) return undefined;
      const page = await send(next, { headers: AUTH });
      if (page === 'unknown' || page.status !== 200) {
        await pause(page);
        continue;
      }
      for (const token of page.json.value) tokens.add(token.token);
      next = habits.readBack === 'first page' ? undefined : page.json['@odata.nextLink'];
    }
    return tokens;
  };
  let allCreated = true;
  if (habits.setsAsideThrottled) {
    let round = bodies;
    for (let attempt = 1; attempt <= habits.maxAttempts && round.length > 0; attempt++) {
      const aside = [];
      let longest = 0;
      for (const body of round) {
        const outcome = await send(base, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
        if (outcome !== 'unknown' && (outcome.status === 429 || outcome.status === 503)) {
          aside.push(body);
          longest = Math.max(longest, outcome.retryAfter === null ? 0.1 : Number(outcome.retryAfter));
        } else if (outcome === 'unknown' || outcome.status !== 201) allCreated = false;
      }
      if (aside.length > 0) await wait(longest * 1000);
      round = aside;
    }
    return (allCreated && round.length === 0) || !habits.reportsFailure;
  }
  const createOne = async (body) => {
    let created = false;
    for (let attempt = 1; attempt <= habits.maxAttempts && !created; attempt++) {
      const outcome = await send(base, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
      if (outcome !== 'unknown' && outcome.status === 201) created = true;
      else if (outcome === 'unknown' || outcome.status === 504) {
        if (habits.readsBackAfterUnknown && (await readBack())?.has(body.token)) created = true;
        else await pause(outcome);
      } else if (outcome.status === 429 || outcome.status === 503) await pause(outcome);
      else break;
    }
    if (!created) allCreated = false;
  };
  const queue = [...bodies];
  const worker = async () => {
    for (let body = queue.shift(); body !== undefined; body = queue.shift()) await createOne(body);
  };
  await Promise.all(Array.from({ length: habits.parallel ?? 1 }, worker));
  for (let reads = 0; habits.readsListAtEnd && reads < 20; reads++) {
    const list = await send(base, { headers: AUTH });
    if (list !== 'unknown' && list.status === 200) break;
    await (habits.rereadsAtOnce ? wait(5) : pause(list));
  }
  return allCreated || !habits.reportsFailure;
}

module.exports = { createAll };

if (require.main === module) {
  const habits = JSON.parse(process.argv[2]);
  const bodies = JSON.parse(process.argv[3]);
  createAll({ base: `${process.env.VPPKIT_MOCK_URL}/deviceAppManagement/vppTokens`, habits, bodies, wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }).then(
    (succeeded) => process.exit(succeeded ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
