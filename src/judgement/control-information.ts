// An answer held to Graph's spelling of OData's control information (decision 1220): `@odata.nextLink`, never OData
// 4.01's `@nextLink`, unless the request asked OData 4.01. The reading itself is src/validation/control-information.ts.
import { atBody, type Placed } from '../wire';
import { CONTROL_INFORMATION, controlInformation, pointerSegment } from '../validation';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;

/**
 * Whether a request asked an answer of OData 4.01 or later (`OData-MaxVersion: 4.01`): only then may a service answer
 * in 4.01's spelling (OData JSON 4.01 §23 items 23 and 26; OData Protocol 4.01 §8.2.7: without the header, a service
 * answers the version it first served, Graph's 4.0).
 */
export function asksOData401(maxVersions: readonly string[] | undefined): boolean {
  return (maxVersions ?? []).some((value) => {
    const match = /^\s*(\d+)\.(\d+)\s*$/.exec(value);
    return match !== null && (Number(match[1]) > 4 || (Number(match[1]) === 4 && Number(match[2]) >= 1));
  });
}

/**
 * Control information an answer writes in OData 4.01's spelling (`@context`, `@type`, `@nextLink`, `@count`, ...), in
 * the body and in each item of its `value` list, refused where the answer is held to Graph's (verify, conform, the
 * proxy): Graph answers OData 4.0 (decision 0213), whose payloads "MUST NOT omit the odata. prefix from ... control
 * information" (OData JSON 4.01 §23, item 9.1), and Graph's clients read only `@odata.nextLink`, `@odata.type`, ...
 * (the SDKs' page iterators, Kiota's models): a page whose next link they cannot see they take as the whole list. A
 * request that asked `OData-MaxVersion: 4.01` (`asked401`) may be answered so. Its value is judged as well where the
 * kit reads one (controlInformation): a context naming another service, a type of another entity fail on their own.
 * Also refused, asked or not: both spellings with different values (controlInformation's conflict).
 */
export function unprefixedControlInformationProblems(body: unknown, asked401 = false): (Placed & { message: string })[] {
  const problems: (Placed & { message: string })[] = [];
  const judge = (object: unknown, at: string) => {
    if (!isObject(object)) return;
    for (const name of CONTROL_INFORMATION) {
      const read = controlInformation(object, name);
      if (read && 'conflict' in read) problems.push({ ...atBody(`${at}/${pointerSegment(`@${name}`)}`), message: read.conflict });
      else if (!asked401 && own(object, `@${name}`)) problems.push({ ...atBody(`${at}/${pointerSegment(`@${name}`)}`), message: `is OData 4.01's spelling of @odata.${name}: Graph answers OData 4.0, whose control information MUST carry the odata. prefix (OData JSON 4.01 §4.5, §23 item 9.1), and the request asked no OData-MaxVersion: 4.01; Graph's clients read only @odata.${name}` });
    }
  };
  judge(body, '');
  if (isObject(body) && Array.isArray(body.value)) body.value.forEach((item, i) => judge(item, `/value/${i}`));
  return problems;
}
