// Retry-After, read once for the kit: seed, conform and the judgement of a client's behaviour.

/**
 * How long a Retry-After value asks to wait, in milliseconds after `now` (when the answer ended, on the same
 * clock): delta-seconds, or an HTTP-date in its IMF-fixdate form (RFC 9110 §10.2.3, §5.6.7). Undefined when the
 * value is neither. The one reader of Retry-After: seed, conform and the judgement of a client's behaviour.
 */
export function retryAfterMs(value: string | readonly string[] | undefined, now = Date.now()): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return /^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} gmt$/i.test(text) && Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
