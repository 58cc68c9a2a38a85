// A property's Edm type read from its JSON Schema (src/schemas/edm.ts): what a $filter binds and what a property's type
// control information may name. Graph's Int32 properties (the revoke-licenses result's counts) are Edm.Int32, not
// strings; the schemas are read as the kit ships them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredTypeOf, edmTypeOf } from '../../src/schemas';

const actionResult = JSON.parse(readFileSync(join(__dirname, '../../schemas/vpp-token-action-result.schema.json'), 'utf8'));
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };

describe('edmTypeOf', () => {
  it.each([
    ['an integer within Int32 bounds', int32, 'Edm.Int32'],
    ['an integer without them', { type: 'integer' }, 'Edm.Int64'],
    ['a number', { type: 'number' }, 'Edm.Double'],
    ['a boolean', { type: 'boolean' }, 'Edm.Boolean'],
    ['a string', { type: 'string' }, 'Edm.String'],
    ['a nullable boolean', { type: ['boolean', 'null'] }, 'Edm.Boolean'],
  ])('reads %s as its Edm type', (_, schema, name) => {
    expect(edmTypeOf(schema).name).toBe(name);
  });

  it("reads the shipped schema's failedLicensesCount as Edm.Int32, named with and without Edm.", () => {
    const text = JSON.stringify(actionResult);
    const counts = [...text.matchAll(/"failedLicensesCount":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]));
    expect(counts.length).toBeGreaterThan(0);
    for (const schema of counts) {
      expect(edmTypeOf(schema).name).toBe('Edm.Int32');
      expect(declaredTypeOf(schema).names).toEqual(['Int32', 'Edm.Int32']);
    }
  });
});
