// Outside findings Y2, Y5 and Y6 of round 20 (decisions 1241, 1285, 1286): a correct query Graph's reader parses and
// binds was refused as the client's 400, so check-client failed the client: a `not` on a comparison's right side
// (ParseComparison reads its right operand through ParseUnary), OData's `cast` and `isof` (castExpr, isofExpr:
// @odata/parser read `cast(` as a property named cast), and a $select or $orderby item behind a type segment naming
// the vppToken's own type (selectItem's `qualifiedEntityTypeName "/"`), which was read as one property name.
import { compileFilter } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { readQueryOptions } from '../../src/judgement/query';
import { filterRefusal } from '../support/filter-refusal';

const TOKENS = [
  { displayName: 'both', automaticallyUpdateApps: true, dataSharingConsentGranted: true },
  { displayName: 'apps', automaticallyUpdateApps: true, dataSharingConsentGranted: false },
  { displayName: 'none', automaticallyUpdateApps: false, dataSharingConsentGranted: false },
  { displayName: null, automaticallyUpdateApps: null, dataSharingConsentGranted: false },
];
const filtered = (filter: string) => {
  const matches = compileFilter(filter, vppTokenProperties('beta'));
  return TOKENS.filter((token) => matches(token)).map((token) => token.displayName);
};
const answer = (filter: string) => {
  const refused = filterRefusal(filter);
  return refused ? [refused.status, refused.message] : [200];
};
const UNKNOWN = "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'.";
const read = (options: Record<string, string>) => {
  try {
    return readQueryOptions(new URLSearchParams(options), 'list', 'beta');
  } catch (error) {
    return error as { status: number; message: string };
  }
};

describe("a not on a comparison's right side (Y2, decision 1241)", () => {
  it.each([
    ['automaticallyUpdateApps eq not false', ['both', 'apps']],
    ['automaticallyUpdateApps ne not dataSharingConsentGranted', ['both', 'none', null]],
    ['not automaticallyUpdateApps eq not true', ['both', 'apps']],
  ])('reads %s as Boolean eq Boolean', (filter, expected) => {
    expect(filtered(filter)).toEqual(expected);
  });

  it('refuses a not on a string on the right with the unary operator error', () => {
    expect(answer('automaticallyUpdateApps eq not displayName')).toEqual([400, "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'."]);
  });
});

describe('OData cast and isof read and bound (Y5, decision 1285)', () => {
  it.each([
    ["cast(displayName,Edm.String) eq 'apps'", ['apps']],
    ["contains(cast(displayName,Edm.String),'o')", ['both', 'none']],
    ["cast( cast(displayName, Edm.String) ,Edm.String) eq 'none'", ['none']],
    ["Cast(displayName,Edm.String) ne 'x' and cast('a',Edm.String) eq 'a'", ['both', 'apps', 'none', null]],
  ])('reads %s (a string cast to Edm.String is the string)', (filter, expected) => {
    expect(filtered(filter)).toEqual(expected);
  });

  it.each([
    ["cast(automaticallyUpdateApps,Edm.String) eq 'true'", "The function cast(automaticallyUpdateApps,Edm.String) in $filter is not modelled"],
    ['isof(displayName,Edm.String)', 'The function isof(displayName,Edm.String) in $filter is not modelled'],
    ['isof(displayName,Edm.String) eq true', 'The function isof(displayName,Edm.String) in $filter is not modelled'],
    // Its one-argument form casts the vppToken itself.
    ["cast(microsoft.graph.vppToken) ne null", 'The function cast(microsoft.graph.vppToken) in $filter is not modelled'],
  ])('answers %s 501, not modelled', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith(words)).toBe(true);
  });

  it.each([
    // W1: an expression around the call is named in the client's words, not in those of the literal the parser was given.
    // (Each sum of numbers: a string added to a number is 400 since decision 1320.)
    ['length(cast(displayName,Edm.String)) add 1 eq 2', 'The expression length(cast(displayName,Edm.String)) add 1 (AddExpression) in $filter is not modelled'],
    ['length(tolower(cast(displayName,Edm.String))) add 1 eq 2', 'The expression length(tolower(cast(displayName,Edm.String))) add 1 (AddExpression) in $filter'],
    ["length(concat(cast(displayName,Edm.String),'a')) add 1 eq 2", "The function concat(cast(displayName,Edm.String),'a') in $filter"],
    ["roleScopeTagIds/any(t:cast(t,Edm.String) eq 'a') and length(cast(displayName,Edm.String)) add 1 eq 2", "The path roleScopeTagIds/any(t:cast(t,Edm.String) eq 'a') in $filter"],
    ['length(cast(displayName,Edm.String)) add 1 eq 2 and roleScopeTagIds/any(t:length(cast(t,Edm.String)) sub 1 eq 2)', 'The expression length(cast(displayName,Edm.String)) add 1 (AddExpression)'],
  ])('names %s as the client wrote it in its 501 (decision 1301)', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message).not.toMatch(/xxx/);
    expect(refused?.message.startsWith(words)).toBe(true);
  });

  it.each([
    // The argument is bound: an unknown property is Graph's 400, as is a syntax error inside the call.
    ["cast(nope,Edm.String) eq 'a'", 400, UNKNOWN],
    ['isof(nope,Edm.String)', 400, UNKNOWN],
    ["contains(cast(nope,Edm.String),'a')", 400, UNKNOWN],
    ["cast(displayName eq,Edm.String) eq 'a'", 400, 'Syntax error at position 16 in $filter "cast(displayName eq,Edm.String) eq \'a\'".'],
    ["cast(displayName,'x') eq 'a'", 400, 'Syntax error at position 4 in $filter "cast(displayName,\'x\') eq \'a\'".'],
  ])('refuses %s with 400 for its own reason', (filter, status, message) => {
    expect(answer(filter)).toEqual([status, message]);
  });
});

describe("a $select or $orderby item behind the vppToken's own type segment (Y6, decision 1286)", () => {
  it('selects and orders by the property after it', () => {
    expect(read({ $select: 'microsoft.graph.vppToken/displayName' })).toMatchObject({ select: ['displayName'], selectList: '(displayName)' });
    expect(read({ $select: 'id,microsoft.graph.vppToken/token' })).toMatchObject({ select: ['id', 'token'], selectList: '(id,token)' });
    expect(read({ $orderby: 'microsoft.graph.vppToken/displayName desc' })).toMatchObject({ orderby: [{ property: 'displayName', descending: true }] });
  });

  it('still refuses an unknown property after it, and answers a cast to another type 501 only when nothing else is refused', () => {
    expect(read({ $select: 'microsoft.graph.vppToken/nope' })).toMatchObject({ status: 400, message: UNKNOWN });
    expect(read({ $select: 'displayName/nope' })).toMatchObject({ status: 400, message: "Could not find a property named 'displayName/nope' on type 'microsoft.graph.vppToken'." });
    expect(read({ $select: 'microsoft.graph.user/displayName' })).toMatchObject({ status: 501, message: expect.stringMatching(/^The type-cast segment microsoft\.graph\.user in \$select is not modelled/) });
    expect(read({ $select: 'microsoft.graph.user/displayName', $filter: 'nope eq 1' })).toMatchObject({ status: 400, message: UNKNOWN });
  });
});

describe("the vppToken's own type named by Graph's namespace alias, graph.vppToken (W7, decision 1300)", () => {
  it('reads graph.vppToken/ in $filter, $select and $orderby as microsoft.graph.vppToken/', () => {
    expect(filtered("graph.vppToken/displayName eq 'apps'")).toEqual(['apps']);
    expect(filtered("$it/Graph.VppToken/displayName ne 'apps'")).toEqual(['both', 'none', null]);
    expect(read({ $select: 'graph.vppToken/displayName' })).toMatchObject({ select: ['displayName'], selectList: '(displayName)' });
    expect(read({ $orderby: 'graph.vppToken/displayName desc' })).toMatchObject({ orderby: [{ property: 'displayName', descending: true }] });
  });

  it("reads an enum literal's type by the alias as by the namespace, and still refuses what the namespace's spelling refuses", () => {
    expect(read({ $filter: "state eq graph.vppTokenState'valid'" })).not.toHaveProperty('status');
    expect(read({ $filter: "state eq graph.vppTokenState'nope'" })).toMatchObject({ status: 400, message: "The string 'nope' is not a valid enumeration type constant." });
    expect(read({ $filter: "vppTokenAccountType eq graph.vppTokenState'valid'" })).toMatchObject({
      status: 400,
      message: "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.vppTokenAccountType' and 'microsoft.graph.vppTokenState' for operator kind 'Equal'.",
    });
  });

  it('still refuses an unknown property after the alias, and answers another alias or type 501', () => {
    expect(answer("graph.vppToken/nope eq 'a'")).toEqual([400, UNKNOWN]);
    expect(read({ $select: 'graph.vppToken/nope' })).toMatchObject({ status: 400, message: UNKNOWN });
    expect(filterRefusal("graph.user/displayName eq 'a'")?.status).toBe(501);
    expect(read({ $orderby: 'msgraph.vppToken/displayName' })).toMatchObject({ status: 501 });
  });
});
