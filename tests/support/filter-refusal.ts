import { compileFilter } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { QueryOptionError } from '../../src/judgement/query';

/** What compiling `filter` against beta's vppToken refuses it with (Graph's 400 or 501), or undefined if it is taken. */
export function filterRefusal(filter: string): QueryOptionError | undefined {
  try {
    compileFilter(filter, vppTokenProperties('beta'));
    return undefined;
  } catch (error) {
    if (error instanceof QueryOptionError) return error;
    throw error;
  }
}
