// The kit compiles its own schemas without checking them against the JSON Schema 2020-12 meta-schema (that check
// compiled the meta-schema in every process, docs/decisions/0135): this test is where they are checked, every
// profile's Graph schemas and the schemas of the kit's own input files (a faults file, a conform report).
import Ajv2020 from 'ajv/dist/2020';
import { loadSchemas, PROFILES } from 'vpptokens-contract-kit';
import { FAULTS_FILE_SCHEMA } from '../src/provider';
import { REPORT_SCHEMA } from '../src/conform/select';

const metaSchema = new Ajv2020({ strict: true });
const problemsOf = (schema: unknown): string[] => (metaSchema.validateSchema(schema as object) ? [] : (metaSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("the kit's schemas are valid JSON Schema 2020-12", () => {
  const own: [string, unknown][] = [
    ...PROFILES.flatMap((profile) => [...loadSchemas(profile)].map(([file, schema]): [string, unknown] => [`${profile} ${file}`, schema])),
    ['the faults file', FAULTS_FILE_SCHEMA],
    ['the conform report', REPORT_SCHEMA],
  ];

  it.each(own)('%s', (_name, schema) => {
    expect(problemsOf(schema)).toEqual([]);
  });

  it('the check fails a schema that is not valid 2020-12 (a misspelt type, a required that is not a list)', () => {
    expect(problemsOf({ type: 'strng' })).not.toEqual([]);
    expect(problemsOf({ type: 'object', required: 'token' })).toEqual(['/required must be array']);
  });
});
