// Retry-After, read once for the kit: seed, conform and the judgement of a client's behaviour.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** The three forms of an HTTP-date (RFC 9110 §5.6.7), each giving day, month, year and time. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ([a-z]{3}) (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850_DATE = new RegExp(`^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\\d{2})-([a-z]{3})-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME_DATE = new RegExp(`^${DAY} ([a-z]{3}) ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

/**
 * An HTTP-date in any of its three forms, which "a recipient that parses a timestamp value in an HTTP field MUST
 * accept" (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 form
 * `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year more than 50 years ahead of `now` is the century before) and
 * asctime's `Sun Nov  6 08:49:37 1994` (UTC). Milliseconds since the epoch; undefined when it is none of them or
 * names no real day.
 */
export function httpDateMs(text: string, now = Date.now()): number | undefined {
  let parts: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  let m = IMF_FIXDATE.exec(text);
  if (m) parts = [m[1], m[2], Number(m[3]), m[4], m[5], m[6]];
  else if ((m = RFC850_DATE.exec(text))) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = thisYear - (thisYear % 100) + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    parts = [m[1], m[2], year, m[4], m[5], m[6]];
  } else if ((m = ASCTIME_DATE.exec(text))) parts = [m[2].trim(), m[1], Number(m[6]), m[3], m[4], m[5]];
  if (!parts) return undefined;
  const [day, month, year, hour, minute, second] = parts;
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0) return undefined;
  const ms = Date.UTC(year, monthIndex, Number(day), Number(hour), Number(minute), Number(second));
  const date = new Date(ms);
  // February 30th and 25:00 roll over in Date.UTC: a date that names no real day and time is none.
  if (date.getUTCDate() !== Number(day) || date.getUTCHours() !== Number(hour) || date.getUTCMinutes() !== Number(minute) || date.getUTCSeconds() !== Number(second)) return undefined;
  return ms;
}

/**
 * How long a Retry-After value asks to wait, in milliseconds after `now` (when the answer ended, on the same
 * clock): delay-seconds, or an HTTP-date in any of its three forms (RFC 9110 §10.2.3, §5.6.7), or seconds with a
 * fraction as Graph sends them (its throttling page's sample answer: `Retry-After: 2.128`; decision 0418), rounded
 * up to the millisecond. Undefined when the value is none of them. The one reader of Retry-After: seed, conform and
 * the judgement of a client's behaviour.
 *
 * An HTTP-date is read against the answer's own `Date` (`date`, its field value or values) when it has one it can
 * read: the wait is the Retry-After date less the Date, two readings of the server's one clock (RFC 9110 §6.6.1: Date
 * is when the server made the answer), so a server whose clock is off from ours is waited as it asked, as a cache
 * reads an Expires date against the answer's Date (RFC 9111 §4.2.1; decision 0450). Without one (none, several, or
 * one that is no HTTP-date) it is read against `now`.
 */
export function retryAfterMs(value: string | readonly string[] | undefined, now = Date.now(), date?: string | readonly string[]): number | undefined {
  return readRetryAfter(value, now, date)?.ms;
}

/** retryAfterMs's reading, and whether it read an HTTP-date against the answer's Date (`byDate`). */
function readRetryAfter(value: string | readonly string[] | undefined, now: number, date: string | readonly string[] | undefined): { ms: number; byDate?: true } | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return { ms: Math.ceil(Number(text) * 1000) };
  const until = httpDateMs(text, now);
  if (until === undefined) return undefined;
  const made = answerDateMs(date, now);
  return made === undefined ? { ms: Math.max(0, until - now) } : { ms: Math.max(0, until - made), byDate: true };
}

/**
 * The milliseconds of the second a `Date` names that it leaves open: an HTTP-date has a resolution of one second
 * (RFC 9110 §5.6.7), so an answer whose Date says 03:07:39 was made in [03:07:39.000, 03:07:39.999] (§6.6.1).
 */
const DATE_LEFT_OPEN_MS = 999;

/**
 * The least wait a Retry-After asks, for the judgement of a client that honoured it (decision 1251, outside finding
 * R153): retryAfterMs's reading, less what the answer's Date leaves open when an HTTP-date is read against it. The
 * wait an HTTP-date asks is the date less the instant the answer was made, and Date names only the second it was made
 * in, so the date less the Date overstates it by up to 999 ms: a client that re-sends after the instant the date
 * names, on a clock that agrees with the server's (RFC 9110 §10.2.3: "the time after which"; Kiota's and the Graph
 * SDKs' retry handlers compute the date less now), may have waited that much less from the answer's end. The kit as a
 * client (seed, conform, verify) waits all of retryAfterMs; a client is failed only for a re-send before the least
 * (`dateLeftOpen` says the Date's second was taken off). delay-seconds and a date read against `now` leave nothing open.
 */
export function leastRetryAfterMs(value: string | readonly string[] | undefined, now = Date.now(), date?: string | readonly string[]): { ms: number; dateLeftOpen?: true } | undefined {
  const read = readRetryAfter(value, now, date);
  if (read === undefined || !read.byDate) return read;
  return { ms: Math.max(0, read.ms - DATE_LEFT_OPEN_MS), dateLeftOpen: true };
}

/**
 * An answer's `Date` (RFC 9110 §6.6.1), in milliseconds: its one field value read as an HTTP-date; undefined when it
 * has none, more than one (a singleton field that says two things says neither), or one that is no HTTP-date.
 */
export function answerDateMs(date: string | readonly string[] | undefined, now = Date.now()): number | undefined {
  const values = typeof date === 'string' ? [date] : (date ?? []);
  return values.length === 1 ? httpDateMs(values[0].trim(), now) : undefined;
}
