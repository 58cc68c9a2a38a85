// What the target holds, read back before `--resume --retry-unknown` sends a record again (decision 0429, outside tester Q2).
import { setTimeout as sleep } from 'node:timers/promises';
import { pageTally, pagesAddingNothing, readVppTokenPage, whyListIsShort, type ListTally, whyPageCannotTell, relativeLinkWords, relativeODataLink, resolveODataLink, type ListedVppToken, type ObservedAnswer, type RelativeODataLink } from '../judgement';
import { headerLines, headerValues } from '../wire';
import { backoffMs, clip, publicUrl, shownTarget, retryWait, sameHost, throttleFieldsOf, type BackoffSchedule, type HttpAnswer, type HttpClient, type Secrets } from '../net';
import { tokenFingerprint } from '../validation';

/**
 * The vppTokens the target lists, each id by its token's fingerprint, and each as listed (rewrappedIn); `withheld`, the
 * words for the first page listing a token that is no sToken (whyPageCannotTell): whether that page tells is the
 * caller's to judge with the run's records' tokens (decision 1140); or why they could not be read.
 */
export type TargetVppTokens = { ids: Map<string, string>; listed: ListedVppToken[]; withheld?: string } | { failure: string };

/**
 * The most pages read: a list that long is read no further, and nothing is sent again blind. A list whose pages add
 * nothing stops far sooner, after PAGES_ADDING_NOTHING of them in a row (src/judgement, conform's rule: decision 1100).
 */
export const MAX_READ_BACK_PAGES = 10_000;

/** A token as the read-back knows it (the kit's one fingerprint, src/validation): never its value. */
export { tokenFingerprint };

/** Answers a read of a list may get and be read again after: throttling, and a gateway's failure (a GET is safe to repeat, RFC 9110 §9.2.2). */
const AGAIN = new Set([429, 500, 502, 503, 504]);

interface ReadOptions {
  headers: Record<string, string>;
  maxAttempts: number;
  backoff: BackoffSchedule;
  maxRetryAfterMs: number;
  signal: AbortSignal;
  secrets: Secrets;
}

/**
 * Reads the collection (GET .../deviceAppManagement/vppTokens) to its last page, as a client unsure whether a create
 * was stored must before sending it again (README "Clients under failure": "reads the vppTokens back and re-sends
 * only what is missing"). Each @odata.nextLink is followed on the target's own service only (the bearer goes
 * nowhere else), never back to a page already read, at most MAX_READ_BACK_PAGES pages. A page throttled or failed
 * by a gateway is read again (Retry-After, or the kit's backoff), up to `maxAttempts`. Any other answer, or a
 * vppToken listed without its token, is a failure: which records exist is then not known.
 */
export async function readTargetVppTokens(client: HttpClient, collection: URL, options: ReadOptions): Promise<TargetVppTokens> {
  const ids = new Map<string, string>();
  const listed: ListedVppToken[] = [];
  // What the reads asked of their answers: the run's `Prefer` (a --header), sent on every read.
  const prefer = headerValues(headerLines(options.headers), 'Prefer');
  const read = new Set<string>();
  const clean = (text: string) => clip(text, 300, options.secrets);
  let url: URL | undefined = collection;
  // The relative link the page read now came from: a page that cannot be read is named as its provider wrote it too.
  let relative: RelativeODataLink | undefined;
  // Pages in a row that list nothing new, each linking on: a list that never ends, read no further (decision 1100).
  const neverEnds = pagesAddingNothing();
  let withheld: string | undefined;
  // What each page listed (its ids) and the @odata.count it gave: a list shorter than its count is not whole
  // (whyListIsShort, the proxy's rule too: decisions 1101, 1170).
  const tallies: ListTally[] = [];
  for (let page = 1; url; page++) {
    const shown = `GET ${publicUrl(url)}${page > 1 ? ` (page ${page})` : ''}`;
    // Interrupted (Ctrl-C, SIGTERM) or stopped: no new request, and the list was not read whole (decision 1100, R129).
    if (options.signal.aborted) return { failure: `interrupted before ${page > 1 ? `page ${page}` : 'the list'} was read: it was not read to its end` };
    if (page > MAX_READ_BACK_PAGES) return { failure: `the list has more than ${MAX_READ_BACK_PAGES} pages: it was not read to its end` };
    if (read.has(url.href)) return { failure: `${shown}: its @odata.nextLink leads back to a page already read, so the list never ends` };
    read.add(url.href);
    const answer = await readPage(client, url, shown, options, clean);
    if ('failure' in answer) return relative ? { failure: `${answer.failure}: ${relativeLinkWords(relative, { given: clean(relative.given), base: publicUrl(relative.base), resolved: publicUrl(url) })}` } : answer;
    // The kit's one page reader (src/judgement/listed-page.ts, decision 0810), the proxy's too: strict JSON (JSON.parse
    // took the last of two "value"s, so the records listed in the first were not seen and were sent again), each
    // vppToken as the run's reads read it (decision 0682). Strict here: a vppToken that shows no token or no id might
    // be a record's, which would then be sent again.
    const observed: ObservedAnswer = { status: 200, headers: {}, rawHeaders: answer.rawHeaders, bytes: answer.body, body: undefined, ...(answer.cut ? { cut: true } : {}) };
    const listing = readVppTokenPage(observed, prefer);
    // What a page proves of the target's vppTokens is the one rule the proxy's is (whyPageCannotTell, decision 0880).
    // A token that is no sToken is judged once the records are read (they stream): a record's token listed as sent is
    // that record's (a service that takes any token, --schema-tokens), any other is withheld (decisions 1090, 1140).
    const untold = whyPageCannotTell(listing, () => true);
    if ('failure' in listing || untold !== undefined) return { failure: 'failure' in listing ? `${shown} ${clean(untold!)}` : `${shown} ${untold}, so which records exist cannot be told` };
    const withheldHere = whyPageCannotTell(listing);
    if (withheldHere !== undefined) withheld ??= `${shown} ${withheldHere}, so which records exist cannot be told`;
    for (const { id, token } of listing.listed) ids.set(token, id);
    tallies.push(pageTally(listing));
    listed.push(...listing.listed);
    const { body, nextLink: next } = listing;
    const endless = neverEnds(listing.listed.map((listed) => listed.id), next !== undefined, `page ${page}, ${url.origin}${shownTarget(`${url.pathname}${url.search}`, options.secrets)}`);
    if (endless) return { failure: `GET ${publicUrl(collection)} and the pages it links to: ${endless}; it was not read to its end` };
    if (next === undefined) {
      const short = whyListIsShort(tallies);
      if (short) return { failure: `GET ${publicUrl(collection)}${page > 1 ? ` and the pages it links to (${page})` : ''} ${short}, so which records exist cannot be told` };
      url = undefined;
    } else {
      // Resolved as conform resolves it: a relative link against the page's context URL (OData JSON 4.01 §4.6).
      const link: URL | undefined = typeof next === 'string' ? resolveODataLink(next, body, url) : undefined;
      if (!link) return { failure: `${shown} answered an @odata.nextLink that is not a URL` };
      // The bearer and the --header values go only where the user sent them (RFC 6750 §5.3, decision 0365).
      if (link.protocol !== collection.protocol || !sameHost(link, collection)) return { failure: `${shown} answered an @odata.nextLink on another service (${publicUrl(link)}): not followed, as the bearer goes to --target only` };
      relative = relativeODataLink(next as string, body, url, page);
      url = link;
    }
  }
  return { ids, listed, ...(withheld === undefined ? {} : { withheld }) };
}

/** One page's body, read again while it is throttled or failed by a gateway; or why it could not be read. */
async function readPage(client: HttpClient, url: URL, shown: string, options: ReadOptions, clean: (text: string) => string): Promise<HttpAnswer | { failure: string }> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await client.send({ method: 'GET', url, headers: options.headers });
    let wait: number;
    if (outcome.kind === 'failure') {
      if (outcome.failure === 'abandoned' || attempt >= options.maxAttempts) return { failure: `${shown}: ${clean(outcome.message)}` };
      wait = backoffMs(attempt, options.backoff);
    } else if (outcome.status === 200) {
      return outcome;
    } else {
      const { retryAfter, date } = throttleFieldsOf(outcome.rawHeaders);
      const asked = retryWait(outcome.status, retryAfter, attempt, options.backoff, Date.now(), date);
      if (!AGAIN.has(outcome.status) || attempt >= options.maxAttempts) return { failure: `${shown} answered ${outcome.status}${attempt > 1 ? ` (try ${attempt})` : ''}` };
      wait = asked?.ms ?? backoffMs(attempt, options.backoff);
      if (asked?.retryAfter && wait > options.maxRetryAfterMs) return { failure: `${shown} answered ${outcome.status} with a Retry-After longer than --max-retry-after allows` };
    }
    try {
      await sleep(wait, undefined, { signal: options.signal });
    } catch {
      return { failure: `${shown}: interrupted` };
    }
  }
}
