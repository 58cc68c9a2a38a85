// The one reading of OData's control information (decision 1220): `@odata.nextLink` in OData 4.0's spelling,
// `@nextLink` in 4.01's. Seed, the proxy, verify, conform and validate read a page's link and count, a body's context,
// id and type through it; src/judgement/control-information.ts holds an answer to Graph's spelling by it.

/**
 * The control information OData JSON defines (OData JSON Format 4.01 §4.5.1 to §4.5.13, §8.5 `bind`, §15 `removed`
 * and `delta`), each by its name without the prefix. OData 4.0 writes each `@odata.<name>`; in a 4.01 payload the
 * `odata.` prefix "SHOULD be omitted" (§4.5: only a payload whose OData-Version is 4.0 must carry it) and a 4.01
 * consumer "MUST be prepared to interpret control information with or without the odata. prefix" (§23, item 8.1).
 */
export const CONTROL_INFORMATION = [
  'context',
  'metadataEtag',
  'type',
  'count',
  'nextLink',
  'delta',
  'deltaLink',
  'id',
  'editLink',
  'readLink',
  'etag',
  'navigationLink',
  'associationLink',
  'mediaEditLink',
  'mediaReadLink',
  'mediaContentType',
  'mediaEtag',
  'removed',
  'bind',
] as const;

export type ControlInformationName = (typeof CONTROL_INFORMATION)[number];

/**
 * One control information of an object as read: its value and the name it was written under (`@odata.context` or
 * `@context`); or, written under both with different values, `conflict`: the words for it (which of the two a client
 * reads depends on the client, so what the object says cannot be told). Undefined when it is under neither.
 */
export type ControlInformationRead = { name: string; value: unknown } | { conflict: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;
const same = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/**
 * Reads control information `name` of `object` under either spelling, whatever the answer's OData-Version says: a
 * payload that says 4.0 and writes `@nextLink` is wrong either way (unprefixedControlInformationProblems refuses it),
 * and to read its link as a link is the cautious reading (a page that says more follows is not taken as the whole
 * list, R140). Both spellings with one value read as one.
 */
export function controlInformation(object: unknown, name: ControlInformationName): ControlInformationRead | undefined {
  if (!isObject(object)) return undefined;
  const prefixed = `@odata.${name}`;
  const bare = `@${name}`;
  const hasPrefixed = own(object, prefixed);
  const hasBare = own(object, bare);
  if (hasPrefixed && hasBare && !same(object[prefixed], object[bare])) return { conflict: `gives both ${prefixed} and ${bare}, with different values: one is OData 4.01's spelling of the other (OData JSON 4.01 §4.5), and which of the two a client reads depends on the client` };
  if (hasPrefixed) return { name: prefixed, value: object[prefixed] };
  return hasBare ? { name: bare, value: object[bare] } : undefined;
}

/** The value of control information `name` (controlInformation), undefined when absent or written twice differently. */
export function controlInformationValue(object: unknown, name: ControlInformationName): unknown {
  const read = controlInformation(object, name);
  return read && 'value' in read ? read.value : undefined;
}
