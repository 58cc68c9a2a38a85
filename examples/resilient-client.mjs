// A client that creates vppTokens the way a client must when Graph fails (README "Clients under failure"):
// - 429 and 503 wait what Retry-After says (or back off), then send again;
// - a 504, 500 or 502, a reset connection or a timeout after the request was sent is an UNKNOWN outcome: the
//   vppToken may exist. It reads the vppTokens back and sends again only if that token is missing;
// - it gives up after a bounded number of attempts, and says so (an error, exit code 1), never quietly.
// Proven under every fault kind by tests/client-check/example.test.ts. Plain JavaScript: `node` runs it as is.
//
//   vppkit generate --count 5 > tokens.ndjson
//   vppkit check-client --fail-rate 0.3 --fail-with 429,503,504-after-create,reset-after-create -- node examples/resilient-client.mjs tokens.ndjson
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export class GraphRequestError extends Error {
  constructor(status, code) {
    super(`Graph answered ${status}${code ? ` ${code}` : ''}`);
    this.status = status;
  }
}

const UNKNOWN = 'unknown';
/**
 * Waits at least `ms` by the real clock. A timer alone may fire early: Node measures it from the event loop's cached
 * time, which lags when the process was busy or descheduled, and a re-send before Retry-After is over is a fault.
 */
const defaultSleep = async (ms) => {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
};

/** Retry-After as milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value, now = Date.now()) {
  if (value === null || value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Creates each body, in order. Resolves with the created vppTokens' ids; rejects with an error naming how many
 * could not be created (never a token value) when one failed for good or the attempts ran out.
 * @param {{ baseUrl: string, accessToken: () => Promise<string> | string, maxAttempts?: number, timeoutMs?: number, sleep?: (ms: number) => Promise<void> | void }} options
 * @param {{ token: string }[]} bodies
 */
export async function createVppTokens(options, bodies) {
  const { baseUrl, maxAttempts = 5, timeoutMs = 30_000, sleep = defaultSleep } = options;
  const collection = `${baseUrl}/deviceAppManagement/vppTokens`;
  const headers = async () => ({ Authorization: `Bearer ${await options.accessToken()}`, 'Content-Type': 'application/json' });
  /** One request; UNKNOWN when it got no answer (refused before sending is not told apart: reading back is safe either way). */
  const send = async (url, init) => {
    try {
      const response = await fetch(url, { ...init, headers: await headers(), signal: AbortSignal.timeout(timeoutMs) });
      const body = await response.json().catch(() => undefined);
      return { status: response.status, retryAfter: retryAfterMs(response.headers.get('retry-after')), body };
    } catch {
      return UNKNOWN;
    }
  };
  const backoff = (attempt) => Math.min(5_000, 200 * 2 ** (attempt - 1));
  /** Whether a vppToken with this token exists: the whole list, page by page; throttled reads wait too. */
  const exists = async (token) => {
    let next = `${collection}?$top=999`;
    for (let attempt = 1; next; ) {
      const page = await send(next, { method: 'GET' });
      if (page !== UNKNOWN && page.status === 200) {
        if (page.body.value.some((vppToken) => vppToken.token === token)) return true;
        next = page.body['@odata.nextLink'];
        continue;
      }
      if (++attempt > maxAttempts) throw new Error('could not read the vppTokens back to learn whether a create was stored');
      await sleep(page !== UNKNOWN && page.retryAfter !== undefined ? page.retryAfter : backoff(attempt));
    }
    return false;
  };

  /** The new vppToken's id, or undefined when it could not be created (a final answer, or no attempt left). */
  const createOne = async (body) => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await send(collection, { method: 'POST', body: JSON.stringify(body) });
      if (outcome !== UNKNOWN && outcome.status === 201) return outcome.body.id;
      if (outcome !== UNKNOWN && (outcome.status === 429 || outcome.status === 503)) {
        await sleep(outcome.retryAfter ?? backoff(attempt));
      } else if (outcome === UNKNOWN || [500, 502, 504].includes(outcome.status)) {
        // Unknown: it may have been created. Never send it again blindly.
        if (await exists(body.token)) return 'created (found on reading back)';
        if (attempt < maxAttempts) await sleep(backoff(attempt));
      } else {
        return undefined; // 400, 401, 403, 413...: sending it again changes nothing.
      }
    }
    return undefined;
  };

  const ids = [];
  let failed = 0;
  for (const body of bodies) {
    const id = await createOne(body);
    if (id === undefined) failed++;
    else ids.push(id);
  }
  if (failed > 0) throw new Error(`${failed} of ${bodies.length} vppTokens could not be created`);
  return ids;
}

// As a program: the NDJSON file of create requests in argv[2], sent to VPPKIT_MOCK_URL (check-client) or GRAPH_BASE_URL.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bodies = readFileSync(process.argv[2], 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  const baseUrl = process.env.VPPKIT_MOCK_URL ?? process.env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/beta';
  createVppTokens({ baseUrl, accessToken: () => process.env.GRAPH_ACCESS_TOKEN ?? 'example-access-token' }, bodies).then(
    (ids) => console.log(`created ${ids.length} vppTokens`),
    (error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
