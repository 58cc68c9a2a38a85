// Graph's DateTimeOffset (Edm.DateTimeOffset) is .NET's System.DateTimeOffset: RFC 3339 §5.6 gives the syntax
// and §5.7 the calendar (a day that exists, an hour and minute of offset that are ones), and .NET adds limits
// ajv-formats' date-time does not know: an offset of at most 14 hours either way (DateTimeOffset.Offset), and an
// instant, once the offset is applied, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z (year 0000 is
// none: ISO 8601's year 0 needs mutual agreement, RFC 3339 §5.7 and .NET's DateTime.MinValue leave it out).
// The seconds may be left out (`2041-06-30T12:00Z`): OData JSON Format v4.01 §7.1 holds a body's Edm.DateTimeOffset to
// the ABNF's dateTimeOffsetValue (OData ABNF: `hour ":" minute [ ":" second [ "." fractionalSeconds ] ]`), the same
// as a URL literal's, and Graph's reader pads them (decision 0500). One rule for bodies, answers and `$filter` literals.
import { fullFormats } from 'ajv-formats/dist/formats';

const rfc3339 = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

/** The largest offset a DateTimeOffset takes, in minutes (.NET: ±14:00). */
export const MAX_OFFSET_MINUTES = 14 * 60;
const FIRST_MS = Date.parse('0001-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** The years an instant falls in (.NET's DateTime.MinValue and MaxValue), four digits each. */
const FIRST_YEAR = new Date(FIRST_MS).getUTCFullYear();
const LAST_YEAR = new Date(LAST_MS).getUTCFullYear();

/** A regex of the numbers from `low` to `high`, written with as many digits as `high` has (leading zeros kept). */
function digitsFrom(low: number, high: number, width = String(high).length): string {
  const [lo, hi] = [String(low).padStart(width, '0'), String(high).padStart(width, '0')];
  const span = (from: string, to: string): string => {
    if (from.length === 0) return '';
    if (from[0] === to[0]) return `${from[0]}${span(from.slice(1), to.slice(1))}`;
    const rest = from.length - 1;
    const any = rest === 0 ? '' : rest === 1 ? '[0-9]' : `[0-9]{${rest}}`;
    const digit = (x: number, y: number) => (x === y ? `${x}` : `[${x}-${y}]`);
    const [a, b] = [Number(from[0]), Number(to[0])];
    // A first or last digit whose rest runs the whole way (from 0..0, to 9..9) joins the digits between.
    const [fromAll, toAll] = [from.slice(1) === '0'.repeat(rest), to.slice(1) === '9'.repeat(rest)];
    const [first, last] = [fromAll ? a : a + 1, toAll ? b : b - 1];
    const parts = [
      ...(fromAll ? [] : [`${a}${span(from.slice(1), '9'.repeat(rest))}`]),
      ...(first <= last ? [`${digit(first, last)}${any}`] : []),
      ...(toAll ? [] : [`${b}${span('0'.repeat(rest), to.slice(1))}`]),
    ];
    return parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
  };
  return span(lo, hi);
}

/**
 * A DateTimeOffset's `pattern` with the bounds isDateTimeOffset holds it to, for a tool that reads only the schema
 * (the OpenAPI document's Prism and Schemathesis, whose ajv-formats date-time knows neither; outside tester R56,
 * decision 0601): the schema's own pattern (Graph's) with its year, `[0-9]{4,}`, held to four digits from 0001 to 9999
 * and its offset, `[+-][0-9][0-9]:[0-9][0-9]`, to ±14:00. Made from the bounds above, never written a second time.
 * What a pattern does not say, an instant outside those years once the offset is applied, the caller says in words.
 */
export function boundedDateTimeOffsetPattern(pattern: string): string {
  const [year, offset] = ['[0-9]{4,}', '[+-][0-9][0-9]:[0-9][0-9]'];
  if (!pattern.includes(year) || !pattern.includes(offset)) throw new Error(`the DateTimeOffset pattern ${pattern} no longer has ${year} and ${offset}: bound it anew`);
  const [hours, minutes] = [Math.floor(MAX_OFFSET_MINUTES / 60), MAX_OFFSET_MINUTES % 60];
  const below = `${digitsFrom(0, hours - 1, 2)}:[0-5][0-9]`;
  const at = `${String(hours).padStart(2, '0')}:${digitsFrom(0, minutes, 2)}`;
  return pattern.replace(year, `(?:${digitsFrom(FIRST_YEAR, LAST_YEAR, 4)})`).replace(offset, `[+-](?:${below}|${at})`);
}

/** In words, the bounds of boundedDateTimeOffsetPattern and what a pattern cannot hold. */
export const DATE_TIME_OFFSET_BOUNDS = "This document's pattern also holds the bounds the kit holds a DateTimeOffset to (.NET's): an offset of at most ±14:00, a year from 0001 to 9999. The instant, once the offset is applied, must fall in those years too (0001-01-01T00:30:00+01:00 is before year 1, 9999-12-31T23:30:00-01:00 after 9999), which the pattern does not say.";

/**
 * The DateTimeOffset with its seconds written (`12:00Z` is `12:00:00Z`), as Graph's reader pads them
 * (Microsoft.OData.Core's `AddSecondsPaddingIfMissing`); any other text as it is.
 */
export const withSeconds = (text: string): string => text.replace(/^([^T]*T\d\d:\d\d)(?=[Zz+-])/, '$1:00');

/**
 * True for a date-time Graph's DateTimeOffset takes: RFC 3339 (its seconds optional, as OData's ABNF has them), an
 * offset within ±14:00, an instant in years 1 to 9999.
 */
export function isDateTimeOffset(written: string): boolean {
  const text = withSeconds(written);
  if (!rfc3339(text)) return false;
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(text);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return false;
  // Date.parse takes only three fraction digits; the rest can't move an instant across the range's ends.
  const at = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(at) && at >= FIRST_MS && at <= LAST_MS;
}

/**
 * Orders two DateTimeOffsets by the instant each names, to the digit each is written (-1, 0, 1): Graph's
 * DateTimeOffset holds 100 ns ticks, seven fraction digits, which Date.parse cuts to the millisecond, so
 * `...00.0000001Z` is after `...00Z`. The seconds are compared as a number (the offset applied; seconds may be left
 * out, as OData's literal allows), the fraction as its decimal digits. Undefined when either is no date-time.
 */
export function orderDateTimeOffsets(a: string, b: string): number | undefined {
  const instant = (text: string): [number, string] => {
    const upper = text.toUpperCase();
    const fraction = (/\.(\d+)/.exec(upper)?.[1] ?? '').replace(/0+$/, '');
    return [Date.parse(upper.replace(/\.\d+/, '')), fraction];
  };
  const [[secondsA, fractionA], [secondsB, fractionB]] = [instant(a), instant(b)];
  if (!Number.isFinite(secondsA) || !Number.isFinite(secondsB)) return undefined;
  if (secondsA !== secondsB) return Math.sign(secondsA - secondsB);
  const digits = Math.max(fractionA.length, fractionB.length);
  const [da, db] = [fractionA.padEnd(digits, '0'), fractionB.padEnd(digits, '0')];
  return da === db ? 0 : da < db ? -1 : 1;
}

/**
 * True when two DateTimeOffsets are the same instant, however each is written (its offset, its number of fraction
 * digits, its letter case): Edm.DateTimeOffset values are compared as .NET's DateTimeOffset.Equals compares
 * them, by their UTC instant, so `2029-01-24T04:05:43.0000000-12:00` is `2029-01-24T16:05:43Z`.
 */
export function sameDateTimeOffset(a: string, b: string): boolean {
  return isDateTimeOffset(a) && isDateTimeOffset(b) && orderDateTimeOffsets(a, b) === 0;
}

/** The instant of a DateTimeOffset as the digits of its fraction (trailing zeros left out) and its whole seconds in ms. */
const instantOf = (text: string): [number, string] => {
  const upper = withSeconds(text).toUpperCase();
  return [Date.parse(upper.replace(/\.\d+/, '')), (/\.(\d+)/.exec(upper)?.[1] ?? '').replace(/0+$/, '')];
};

/** The fraction digits Graph's DateTimeOffset holds: .NET's 100 ns ticks. */
export const GRAPH_FRACTION_DIGITS = 7;

/**
 * A DateTimeOffset as Graph holds and writes it back (decision 1032): its seconds written (withSeconds), and a fraction
 * of more than 7 digits rounded to 7 as Graph's OData reader rounds it. Microsoft.OData.Core reads a DateTimeOffset with
 * XmlConvert.ToDateTimeOffset, whose XsdDateTime parser keeps 7 digits and rounds on the 8th: up past 5, or at 5 with
 * any later digit not 0; at 5 and zeros only, to even. A carry past .9999999 is the next second (and minute, day...).
 * Any other text as it is, so a value Graph could not hold is not made one.
 */
export function atGraphPrecision(written: string): string {
  const text = withSeconds(written);
  const parts = /^(\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)\.(\d{8,})([Zz]|[+-]\d\d:\d\d)$/.exec(text);
  if (!parts || !isDateTimeOffset(text)) return text;
  const [, wall, digits, zone] = parts;
  const kept = Number(digits.slice(0, GRAPH_FRACTION_DIGITS));
  const [next, rest] = [digits[GRAPH_FRACTION_DIGITS], digits.slice(GRAPH_FRACTION_DIGITS + 1)];
  const fraction = kept + (next > '5' || (next === '5' && (/[1-9]/.test(rest) || kept % 2 === 1)) ? 1 : 0);
  if (fraction < 10 ** GRAPH_FRACTION_DIGITS) return `${wall}.${String(fraction).padStart(GRAPH_FRACTION_DIGITS, '0')}${zone}`;
  // The wall clock one second on, as written in its own offset (the offset is kept, so UTC arithmetic is the clock's).
  const carried = new Date(Date.parse(`${wall.toUpperCase()}Z`) + 1000).toISOString().slice(0, 19);
  const result = `${carried}.${'0'.repeat(GRAPH_FRACTION_DIGITS)}${zone}`;
  return isDateTimeOffset(result) ? result : text;
}

/**
 * True when two DateTimeOffsets name the same instant at the precision Graph holds (outside tester R49): the same
 * instant (sameDateTimeOffset), or one written with at most 7 fraction digits (a value .NET's 100 ns ticks hold) that
 * is the other, written with more (OData CSDL 4.01 §6.2.4 allows 12), rounded to 7 digits either way at a half or
 * cut: the other minus it is at least half a tick back and less than one tick on. Two values of 7 digits or fewer,
 * or both of more, are compared as they are.
 */
export function sameAtGraphPrecision(a: string, b: string): boolean {
  if (!isDateTimeOffset(a) || !isDateTimeOffset(b)) return false;
  if (sameDateTimeOffset(a, b)) return true;
  const [[secondsA, fractionA], [secondsB, fractionB]] = [instantOf(a), instantOf(b)];
  if (!Number.isFinite(secondsA) || !Number.isFinite(secondsB)) return false;
  if ((fractionA.length > GRAPH_FRACTION_DIGITS) === (fractionB.length > GRAPH_FRACTION_DIGITS)) return false;
  const digits = Math.max(fractionA.length, fractionB.length);
  const value = (ms: number, fraction: string) => (BigInt(ms) / 1000n) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  const [long, short] = fractionA.length > GRAPH_FRACTION_DIGITS ? [value(secondsA, fractionA), value(secondsB, fractionB)] : [value(secondsB, fractionB), value(secondsA, fractionA)];
  const tick = 10n ** BigInt(digits - GRAPH_FRACTION_DIGITS);
  const ahead = long - short;
  return 2n * ahead >= -tick && ahead < tick;
}
