/** A header's value by name, whatever the case of its key (node's lower-cased ones, or a client's own); repeated values joined. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === wanted);
  const value = found?.[1];
  return Array.isArray(value) ? value.join(', ') : value;
}
