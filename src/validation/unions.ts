import type { ErrorObject, ValidateFunction } from 'ajv';
import { branchOf, discriminatedUnion, type JsonSchema } from '../schemas';
import { pointerSegment } from './problems';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * ajv's errors with each failed discriminated union judged by the one branch its value's tag chooses: ajv
 * reports every branch's errors and "must match a schema in anyOf", which says nothing of what is
 * wrong. A property that another branch has is marked (`params.belongsTo`, that branch's first tag member), so
 * the problem can say that it belongs to another type; an unknown tag lists every branch's members.
 */
export function resolveUnions(errors: readonly ErrorObject[], validatorOf: (ref: string) => ValidateFunction | undefined): ErrorObject[] {
  let result = [...errors];
  for (const union of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    const at = union.instancePath;
    const schema = union.parentSchema as JsonSchema | undefined;
    const found = discriminatedUnion(schema);
    const id = typeof schema?.$id === 'string' ? schema.$id : undefined;
    if (!found || found.keyword !== union.keyword || !id || !result.includes(union)) continue;
    const chosen = branchOf(found, union.data);
    const validate = validatorOf(`${id}#/${found.keyword}/${chosen}`);
    if (!validate) continue;
    validate(union.data);
    const inside = (e: ErrorObject) => e.instancePath === at || e.instancePath.startsWith(`${at}/`);
    const own = (validate.errors ?? []).map((e): ErrorObject => {
      const moved = { ...e, instancePath: `${at}${e.instancePath}` };
      if (e.keyword === 'additionalProperties') {
        const name = String((e.params as { additionalProperty?: string }).additionalProperty);
        const owner = found.branches.find((b, i) => i !== chosen && isObject(b.schema.properties) && name in b.schema.properties);
        if (owner) moved.params = { ...e.params, belongsTo: owner.members[0], tag: found.tag, tagMembers: found.branches[chosen].members };
      }
      if (e.keyword === 'enum' && e.instancePath === `/${pointerSegment(found.tag)}`) moved.params = { ...e.params, allowedValues: found.branches.flatMap((b) => b.members) };
      return moved;
    });
    result = [...result.filter((e) => !inside(e)), ...own];
  }
  return result;
}

