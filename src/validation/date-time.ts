// Graph's DateTimeOffset (Edm.DateTimeOffset) is .NET's System.DateTimeOffset: RFC 3339 §5.6 gives the syntax
// and §5.7 the calendar (a day that exists, an hour and minute of offset that are ones), and .NET adds limits
// ajv-formats' date-time does not know: an offset of at most 14 hours either way (DateTimeOffset.Offset), and an
// instant, once the offset is applied, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z (year 0000 is
// none: ISO 8601's year 0 needs mutual agreement, RFC 3339 §5.7 and .NET's DateTime.MinValue leave it out).
import { fullFormats } from 'ajv-formats/dist/formats';

const rfc3339 = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

/** The largest offset a DateTimeOffset takes, in minutes (.NET: ±14:00). */
export const MAX_OFFSET_MINUTES = 14 * 60;
const FIRST_MS = Date.parse('0001-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** True for a date-time Graph's DateTimeOffset takes: RFC 3339, an offset within ±14:00, an instant in years 1 to 9999. */
export function isDateTimeOffset(text: string): boolean {
  if (!rfc3339(text)) return false;
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(text);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return false;
  // Date.parse takes only three fraction digits; the rest can't move an instant across the range's ends.
  const at = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(at) && at >= FIRST_MS && at <= LAST_MS;
}

/**
 * True when two DateTimeOffsets are the same instant, however each is written (its offset, its number of fraction
 * digits, its letter case): Edm.DateTimeOffset values are compared as .NET's DateTimeOffset.Equals compares
 * them, by their UTC instant, so `2029-01-24T04:05:43.0000000-12:00` is `2029-01-24T16:05:43Z`.
 */
export function sameDateTimeOffset(a: string, b: string): boolean {
  if (!isDateTimeOffset(a) || !isDateTimeOffset(b)) return false;
  const instant = (text: string): [number, string] => {
    const upper = text.toUpperCase();
    // Date.parse keeps milliseconds only: the seconds are compared as a number, the fraction as its digits.
    const fraction = (/\.(\d+)/.exec(upper)?.[1] ?? '').replace(/0+$/, '');
    return [Date.parse(upper.replace(/\.\d+/, '')), fraction];
  };
  const [[secondsA, fractionA], [secondsB, fractionB]] = [instant(a), instant(b)];
  return secondsA === secondsB && fractionA === fractionB;
}
