// An answer held to Graph's spelling of OData's control information (decision 1220): `@odata.nextLink`, never OData
// 4.01's `@nextLink`, unless the request asked OData 4.01. The reading itself is src/validation/control-information.ts.
import { atBody, type Placed } from '../wire';
import { CONTROL_INFORMATION, controlInformation, pointerSegment } from '../validation';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;

const isVersion401 = (value: string) => {
  const match = /^\s*(\d+)\.(\d+)\s*$/.exec(value);
  return match !== null && (Number(match[1]) > 4 || (Number(match[1]) === 4 && Number(match[2]) >= 1));
};

/**
 * Whether a request asked an answer of OData 4.01 or later (`OData-MaxVersion: 4.01`): only then may a service answer
 * in 4.01's spelling (OData JSON 4.01 §23 items 23 and 26; OData Protocol 4.01 §8.2.7: without the header, a service
 * answers the version it first served, Graph's 4.0).
 */
export function asksOData401(maxVersions: readonly string[] | undefined): boolean {
  return (maxVersions ?? []).some(isVersion401);
}

/**
 * Whether an answer may write its control information in OData 4.01's spelling (`@context`): its request asked
 * `OData-MaxVersion: 4.01` or later (asksOData401), and the answer itself says no other version. A payload whose
 * `OData-Version` is 4.0 keeps the `odata.` prefix (OData JSON 4.01 §4.5; §23 item 9.1), and a consumer reads control
 * information "according to the OData-Version header of the payload" (item 4): asked 4.01 or not, a 4.0 answer is read
 * as 4.0, where `@context` is no context (outside attacker Y3, decision 1220). An answer without the header is read as
 * 4.01 (§4.5: only "with an OData-Version header with a value of 4.0" are names prefixed); one whose header names no
 * version of 4.01 or later (`four`, or 4.0 and 4.01 twice) is not. `refused` says why, for the problem's words.
 */
export function mayOmitODataPrefix(maxVersions: readonly string[] | undefined, answerVersions: readonly string[]): { may: true } | { may: false; refused: string } {
  if (!asksOData401(maxVersions)) return { may: false, refused: 'Graph answers OData 4.0, whose control information MUST carry the odata. prefix (OData JSON 4.01 §4.5, §23 item 9.1), and the request asked no OData-MaxVersion: 4.01' };
  const other = answerVersions.find((value) => !isVersion401(value));
  if (other === undefined) return { may: true };
  const said = other.trim();
  return { may: false, refused: /^4\.0+$/.test(said) ? `the answer says OData-Version: ${said}, whose control information MUST carry the odata. prefix (OData JSON 4.01 §4.5, §23 item 9.1), though the request asked OData-MaxVersion: 4.01: a client reads it as the answer's own version says (§23 item 4)` : `the answer says OData-Version: ${said}, not 4.01 or later, so its control information must carry the odata. prefix (OData JSON 4.01 §4.5, §23 items 4 and 9.1), though the request asked OData-MaxVersion: 4.01` };
}

/**
 * Control information an answer writes in OData 4.01's spelling (`@context`, `@type`, `@nextLink`, `@count`, ...), in
 * the body, in each item of its `value` list, and in each vppToken's `tokenActionResults` items (decision 1336), refused where the answer is held to Graph's (verify, conform, the
 * proxy): Graph answers OData 4.0 (decision 0213), whose payloads "MUST NOT omit the odata. prefix from ... control
 * information" (OData JSON 4.01 §23, item 9.1), and Graph's clients read only `@odata.nextLink`, `@odata.type`, ...
 * (the SDKs' page iterators, Kiota's models): a page whose next link they cannot see they take as the whole list.
 * `spelling` (mayOmitODataPrefix) says whether this answer may omit the prefix: its request asked
 * `OData-MaxVersion: 4.01` and the answer does not say OData-Version 4.0. Its value is judged as well where the kit
 * reads one (controlInformation): a context naming another service, a type of another entity fail on their own.
 * Also refused, whatever the versions: both spellings with different values (controlInformation's conflict), but a
 * vppToken's two types: the response schema's rule holds those (problemsOf at `/@type`, decision 1310), once.
 */
export function unprefixedControlInformationProblems(body: unknown, spelling: ReturnType<typeof mayOmitODataPrefix>): (Placed & { message: string })[] {
  const problems: (Placed & { message: string })[] = [];
  const judge = (object: unknown, at: string, vppToken: boolean) => {
    if (!isObject(object)) return;
    for (const name of CONTROL_INFORMATION) {
      const read = controlInformation(object, name);
      if (read && 'conflict' in read) {
        if (!vppToken || name !== 'type') problems.push({ ...atBody(`${at}/${pointerSegment(`@${name}`)}`), message: read.conflict });
      } else if (!spelling.may && own(object, `@${name}`)) problems.push({ ...atBody(`${at}/${pointerSegment(`@${name}`)}`), message: `is OData 4.01's spelling of @odata.${name}: ${spelling.refused}; Graph's clients read only @odata.${name}` });
    }
  };
  // A vppToken's `tokenActionResults` items too (decision 1336): their `@type` is read as a 4.01 client reads it where
  // the answer may omit the prefix, and refused where it may not, as the vppToken's own; their type conflict is the
  // response schema's (problemsOf at `.../@type`), once.
  const vppTokenAt = (object: unknown, at: string) => {
    judge(object, at, true);
    const results = isObject(object) ? object.tokenActionResults : undefined;
    if (Array.isArray(results)) results.forEach((item, i) => judge(item, `${at}/tokenActionResults/${i}`, true));
  };
  const page = isObject(body) && Array.isArray(body.value);
  if (page) {
    judge(body, '', false);
    (body.value as unknown[]).forEach((item, i) => vppTokenAt(item, `/value/${i}`));
  } else vppTokenAt(body, '');
  return problems;
}
