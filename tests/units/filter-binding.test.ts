// Outside findings R145-R148 (decisions 1240-1242): Graph's reader parses a whole $filter (or $orderby) and its binder
// binds all of it against the model before anything runs (Microsoft.OData.Core's UriQueryExpressionParser, then
// MetadataBinder), so a 400 there does not wait on what Intune does with a lambda or a date function; the mock's 501
// ("not modelled", 0146) is answered only where nothing it can judge is wrong.
import { compileFilter } from '../../src/judgement/filter';
import { vppTokenProperties } from '../../src/judgement/odata';
import { readQueryOptions } from '../../src/judgement/query';
import { filterRefusal } from '../support/filter-refusal';

const UNKNOWN = "Could not find a property named 'nope' on type 'microsoft.graph.vppToken'.";
const incompatible = (left: string, right: string, kind: string) => `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${kind}'.`;
const answer = (filter: string) => {
  const refused = filterRefusal(filter);
  return refused ? [refused.status, refused.message] : [200];
};

describe('a $filter bound whole before a 501 for what the mock does not model (decision 1240)', () => {
  it.each([
    // R145: the error after a lambda or a date function, inside a lambda, or the lambda's own collection.
    ["roleScopeTagIds/any(t:t eq '0') and nope eq 1", 400, UNKNOWN],
    ['year(lastModifiedDateTime) eq 2026 and nope eq 1', 400, UNKNOWN],
    ["state in ('valid') or nope eq 1", 400, UNKNOWN],
    ["nope/any(t:t eq '0')", 400, UNKNOWN],
    ['year(nope) eq 2026', 400, UNKNOWN],
    ['roleScopeTagIds/any(t:t eq 0)', 400, incompatible('Edm.String', 'Edm.Int32', 'Equal')],
    ["roleScopeTagIds/any(t:t eq '0' and nope)", 400, UNKNOWN],
    // Graph's LambdaBinder: a lambda follows a collection, and its predicate is a Boolean.
    ['displayName/any(t:true)', 400, 'Any/All may only be used following a collection.'],
    ['roleScopeTagIds/any(t:t)', 400, 'The Any/All query expression must evaluate to a single boolean value.'],
    ['year(lastModifiedDateTime)', 400, 'The $filter expression must evaluate to a single boolean value.'],
    // R146: a function of no arguments, typed as Graph's BuiltInUriFunctions type it.
    ['now() lt 5', 400, incompatible('Edm.DateTimeOffset', 'Edm.Int32', 'LessThan')],
    ['mindatetime() eq 1', 400, incompatible('Edm.DateTimeOffset', 'Edm.Int32', 'Equal')],
  ])('refuses %s with 400, as Graph binds it', (filter, status, message) => {
    expect(answer(filter)).toEqual([status, message]);
  });

  it.each([
    // The neighbours Graph binds: still 501, the first construct met named.
    ["roleScopeTagIds/any(t:t eq '0')", 'The path roleScopeTagIds/any(t:t eq \'0\') in $filter is not modelled'],
    ["roleScopeTagIds/all(t:startswith(t,'0')) and displayName eq 'a'", 'The path roleScopeTagIds/all('],
    ["tokenActionResults/any(r:r/actionName eq 'a')", 'The path tokenActionResults/any('],
    // A complex item is untyped to the kit: no type error claimed with a primitive's name.
    ['tokenActionResults/any(r:r eq 1)', 'The path tokenActionResults/any('],
    ['year(lastModifiedDateTime) eq 2026 and displayName ne null', 'The function year(lastModifiedDateTime) in $filter is not modelled'],
    ['lastModifiedDateTime lt now()', 'The function now() in $filter is not modelled'],
    ['now() gt lastModifiedDateTime', 'The function now() in $filter is not modelled'],
    ['maxdatetime() gt lastModifiedDateTime', 'The function maxdatetime() in $filter is not modelled'],
    ["state in ('valid')", 'The operator in or has in $filter is not modelled'],
  ])('answers %s 501 (not modelled), nothing in it refused', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith(words)).toBe(true);
  });

  const noSignature = (name: string, considered: string) =>
    `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${considered}.`;
  // ODL's lists, as its messages write them (ASP.NET Web API OData's FilterQueryOptionTest pins substring's).
  const SUBSTRING = [
    'substring(Edm.String Nullable=true, Edm.Int32)',
    'substring(Edm.String Nullable=true, Edm.Int32 Nullable=true)',
    'substring(Edm.String Nullable=true, Edm.Int32, Edm.Int32)',
    'substring(Edm.String Nullable=true, Edm.Int32 Nullable=true, Edm.Int32)',
    'substring(Edm.String Nullable=true, Edm.Int32, Edm.Int32 Nullable=true)',
    'substring(Edm.String Nullable=true, Edm.Int32 Nullable=true, Edm.Int32 Nullable=true)',
  ].join('; ');
  const ROUND = 'round(Edm.Double); round(Edm.Decimal); round(Edm.Double Nullable=true); round(Edm.Decimal Nullable=true)';

  it.each([
    // W5: arguments no signature of Graph's BuiltInUriFunctions takes, in a function the mock does not evaluate.
    ["substring(automaticallyUpdateApps,1) eq 'x'", noSignature('substring', SUBSTRING)],
    ["substring(displayName,'a') eq 'x'", noSignature('substring', SUBSTRING)],
    ["concat(automaticallyUpdateApps,'a') eq 'x'", noSignature('concat', 'concat(Edm.String Nullable=true, Edm.String Nullable=true)')],
    ['round(displayName) eq 1', noSignature('round', ROUND)],
    ['floor(lastModifiedDateTime) eq 1', noSignature('floor', ROUND.replace(/round/g, 'floor'))],
    // A date function's argument (1240's limit).
    ['year(displayName) eq 2026', noSignature('year', 'year(Edm.DateTimeOffset); year(Edm.DateTimeOffset Nullable=true); year(Edm.Date); year(Edm.Date Nullable=true)')],
    ['hour(automaticallyUpdateApps) eq 1', noSignature('hour', 'hour(Edm.DateTimeOffset); hour(Edm.DateTimeOffset Nullable=true); hour(Edm.Duration); hour(Edm.Duration Nullable=true); hour(Edm.TimeOfDay); hour(Edm.TimeOfDay Nullable=true)')],
    // ... and in one it evaluates, as before; a Boolean isof is no string either.
    ["concat(displayName,isof(displayName,Edm.String)) eq 'x'", noSignature('concat', 'concat(Edm.String Nullable=true, Edm.String Nullable=true)')],
    ["contains(state,'a')", noSignature('contains', 'contains(Edm.String Nullable=true, Edm.String Nullable=true)')],
    // An unknown property in an argument is met first.
    ['round(nope) eq 1', UNKNOWN],
  ])("refuses %s with 400, as Graph's FunctionCallBinder matches its signatures (decision 1302)", (filter, message) => {
    expect(answer(filter)).toEqual([400, message]);
  });

  it.each([
    // Their correct neighbours: bound, then 501 in words naming the call as written.
    ["substring(displayName,1) eq 'x'", "The function substring(displayName,1) in $filter is not modelled"],
    ["substring(displayName,1,2) eq 'x'", 'The function substring(displayName,1,2) in $filter'],
    ["concat(displayName,'a') eq 'x'", "The function concat(displayName,'a') in $filter"],
    ["concat(null,'a') eq 'x'", "The function concat(null,'a') in $filter"],
    ['round(1.5) eq 2', 'The function round(1.5) in $filter'],
    ['round(length(displayName)) eq 2', 'The function round(length(displayName)) in $filter'],
    ['hour(now()) eq 1', 'The function now() in $filter'],
    ['year(null) eq 2026', 'The function year(null) in $filter'],
    // An argument the kit does not type (a cast it does not model) is taken by any parameter: no 400 claimed.
    ['round(cast(displayName,Edm.Double)) eq 2', 'The function cast(displayName,Edm.Double) in $filter'],
    ["substring(null,1) eq 'x'", 'The function substring(null,1) in $filter'],
  ])('answers %s 501, its arguments taken by a signature', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith(words)).toBe(true);
  });

  it('answers a read with now() 501 through the one query reader, never an internal error (R146)', () => {
    const read = () => readQueryOptions(new URLSearchParams({ $filter: 'lastModifiedDateTime lt now()' }), 'list', 'beta');
    expect(read).toThrow(expect.objectContaining({ status: 501 }));
  });
});

describe("a comparison's operands read as Graph's ParseComparison reads them (decision 1241)", () => {
  const filtered = (filter: string) => {
    const matches = compileFilter(filter, vppTokenProperties('beta'));
    return TOKENS.filter((token) => matches(token)).map((token) => token.displayName);
  };
  const TOKENS = [
    { displayName: 'both', automaticallyUpdateApps: true, dataSharingConsentGranted: true },
    { displayName: 'apps', automaticallyUpdateApps: true, dataSharingConsentGranted: false },
    { displayName: 'none', automaticallyUpdateApps: false, dataSharingConsentGranted: false },
  ];

  it.each([
    // R147: a Boolean expression in parentheses, or a comparison, compared with a Boolean (left-associative).
    ['(automaticallyUpdateApps eq true) eq false', ['none']],
    ['(automaticallyUpdateApps and dataSharingConsentGranted) eq false', ['apps', 'none']],
    ['automaticallyUpdateApps eq true eq false', ['none']],
    ['(automaticallyUpdateApps eq true) ne (dataSharingConsentGranted eq true)', ['apps']],
    ["(startswith(displayName,'b') or automaticallyUpdateApps) eq false", ['none']],
    ["automaticallyUpdateApps eq contains(tolower(displayName),'p')", ['apps', 'none']],
    ["contains(displayName,'(') eq automaticallyUpdateApps", ['none']],
    // Neighbours read as before: a group that is an operand whole, a not on a comparison's left operand.
    ['(automaticallyUpdateApps) eq true', ['both', 'apps']],
    ['not (automaticallyUpdateApps and dataSharingConsentGranted)', ['apps', 'none']],
    ['not automaticallyUpdateApps eq true', ['none']],
  ])('reads %s', (filter, expected) => {
    expect(filtered(filter)).toEqual(expected);
  });

  it.each([
    ['(automaticallyUpdateApps eq true) eq 1', incompatible('Edm.Boolean', 'Edm.Int32', 'Equal')],
    ["displayName eq 'a' eq 'b'", incompatible('Edm.Boolean', 'Edm.String', 'Equal')],
    ['not displayName eq true', "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Not'."],
    ['(automaticallyUpdateApps eq) eq false', 'Syntax error at position 24 in $filter "(automaticallyUpdateApps eq) eq false".'],
  ])('refuses %s with 400 for its own reason', (filter, message) => {
    expect(answer(filter)).toEqual([400, message]);
  });
});

describe('a path from the current vppToken ($it/, a type cast) and what a compared call, group or isof holds, bound (decision 1280)', () => {
  const TOKENS = [{ displayName: 'a' }, { displayName: 'b' }];
  const filtered = (filter: string) => {
    const matches = compileFilter(filter, vppTokenProperties('beta'));
    return TOKENS.filter((token) => matches(token)).map((token) => token.displayName);
  };

  it.each([
    // Y4: $it/ and a type-cast segment then an undeclared property: Graph's binder names it.
    "$it/nope eq 'a'",
    'displayName eq $it/nope',
    "microsoft.graph.vppToken/nope eq 'a'",
    "$it/microsoft.graph.vppToken/nope eq 'a'",
    "roleScopeTagIds/any(t:$it/nope eq 'a')",
    'isof(nope,Edm.String)',
    // Y1: inside a call or a group compared with a value, and inside a lambda's predicate.
    "automaticallyUpdateApps eq contains(nope,'a')",
    "(nope eq 'A') eq automaticallyUpdateApps",
    "automaticallyUpdateApps ne (nope eq 'A')",
    "roleScopeTagIds/any(t:contains(t,'a') eq nope)",
    "roleScopeTagIds/any(t:(nope eq 'a') eq true)",
  ])('refuses %s with 400, the property named', (filter) => {
    expect(answer(filter)).toEqual([400, UNKNOWN]);
  });

  it.each([
    ["$it/displayName eq 'a'", ['a']],
    ['displayName eq $it/displayName', ['a', 'b']],
    ["microsoft.graph.vppToken/displayName ne 'a'", ['b']],
    ["$it/Microsoft.Graph.VppToken/displayName eq 'b'", ['b']],
  ])('reads %s as the property of the vppToken', (filter, expected) => {
    expect(filtered(filter)).toEqual(expected);
  });

  it.each([
    ["microsoft.graph.user/displayName eq 'a'", 'The type cast microsoft.graph.user in microsoft.graph.user/displayName in $filter is not modelled'],
    ['isof(displayName,Edm.String)', 'The function isof(displayName,Edm.String) in $filter is not modelled'],
    ['$it eq null', 'The expression $it (the vppToken itself) in $filter is not modelled'],
    ['$it ne null and displayName eq $it/displayName', 'The expression $it (the vppToken itself) in $filter is not modelled'],
  ])('answers %s 501 in words naming it', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith(words)).toBe(true);
  });

  it.each([
    // `$it` alone is the vppToken, bound as ODL's ResourceRangeVariableReferenceNode typed microsoft.graph.vppToken
    // (decision 1321): compared with a primitive, or an operand of and, it is refused as ODL's binder refuses it.
    ['$it eq 1', incompatible('microsoft.graph.vppToken', 'Edm.Int32', 'Equal')],
    ["$it ne 'a'", incompatible('microsoft.graph.vppToken', 'Edm.String', 'NotEqual')],
    ['$it and true', incompatible('microsoft.graph.vppToken', 'Edm.Boolean', 'And')],
    ["roleScopeTagIds/any(t:$it eq t)", incompatible('microsoft.graph.vppToken', 'Edm.String', 'Equal')],
  ])('refuses %s with 400, $it being the vppToken (decision 1321)', (filter, message) => {
    expect(answer(filter)).toEqual([400, message]);
  });

  it('still refuses a wrong type through $it', () => {
    expect(answer('$it/displayName eq 1')).toEqual([400, incompatible('Edm.String', 'Edm.Int32', 'Equal')]);
  });
});

describe("arithmetic's operands bound as ODL's BinaryOperatorBinder binds them (decision 1320)", () => {
  it.each([
    ['displayName add 1 eq 2', incompatible('Edm.String', 'Edm.Int32', 'Add')],
    ['1 sub displayName eq 2', incompatible('Edm.Int32', 'Edm.String', 'Subtract')],
    ['automaticallyUpdateApps mul 2 eq 2', incompatible('Edm.Boolean', 'Edm.Int32', 'Multiply')],
    ["state div 2 eq 1", incompatible('microsoft.graph.vppTokenState', 'Edm.Int32', 'Divide')],
    ['lastModifiedDateTime mod 2 eq 1', incompatible('Edm.DateTimeOffset', 'Edm.Int32', 'Modulo')],
    ['lastModifiedDateTime add 1 eq 2', incompatible('Edm.DateTimeOffset', 'Edm.Int32', 'Add')],
    // A cast to Edm.String of a string is the string (1285).
    ['cast(displayName,Edm.String) add 1 eq 2', incompatible('Edm.String', 'Edm.Int32', 'Add')],
    // The sum is a number: compared with a string, refused as a number is.
    ["length(displayName) add 1 eq 'a'", incompatible('Edm.Int32', 'Edm.String', 'Equal')],
    // An unknown property in an operand is met first.
    ['nope add displayName eq 1', UNKNOWN],
  ])('refuses %s with 400', (filter, message) => {
    expect(answer(filter)).toEqual([400, message]);
  });

  it.each([
    // Numbers, a null literal, or two dates and times (ODL's temporal signatures not modelled): bound, still 501.
    ['length(displayName) add 1 eq 2', 'The expression length(displayName) add 1 (AddExpression) in $filter is not modelled'],
    ['length(displayName) mod 2 eq 1.5', 'The expression length(displayName) mod 2 (ModExpression)'],
    ['2 mul length(displayName) gt 4', 'The expression 2 mul length(displayName) (MulExpression)'],
    ['null add 1 eq 2', 'The expression null add 1 (AddExpression)'],
    ['lastModifiedDateTime sub lastSyncDateTime eq null', 'The expression lastModifiedDateTime sub lastSyncDateTime (SubExpression)'],
  ])('answers %s 501, its operands numbers', (filter, words) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith(words)).toBe(true);
  });
});

describe("a path into a lambda's complex item bound against the item type's properties (decision 1322)", () => {
  const notOnItem = (name: string) => `Could not find a property named '${name}' on type 'microsoft.graph.vppTokenActionResult'.`;
  it.each([
    ["tokenActionResults/any(r:r/nope eq 'x')", notOnItem('nope')],
    // A derived type's property is not the declared item type's: ODL binds against vppTokenActionResult.
    ['tokenActionResults/any(r:r/failedLicensesCount eq 1)', notOnItem('failedLicensesCount')],
    ['tokenActionResults/all(r:r/actionName eq 1)', incompatible('Edm.String', 'Edm.Int32', 'Equal')],
    ["tokenActionResults/any(r:r/actionState eq 'nope')", "The string 'nope' is not a valid enumeration type constant."],
    ["tokenActionResults/any(r:r/startDateTime eq 'x')", incompatible('Edm.DateTimeOffset', 'Edm.String', 'Equal')],
    ["roleScopeTagIds/any(t:tokenActionResults/any(r:r/nope eq t))", notOnItem('nope')],
  ])('refuses %s with 400', (filter, message) => {
    expect(answer(filter)).toEqual([400, message]);
  });

  it.each([
    "tokenActionResults/any(r:r/actionName eq 'a')",
    "tokenActionResults/any(r:r/ActionName eq 'a' and r/actionState eq 'done')",
    'tokenActionResults/all(r:r/lastUpdatedDateTime lt 2026-01-01T00:00:00Z)',
    "tokenActionResults/any(r:contains(r/actionName,'a'))",
  ])('answers %s 501, its path bound', (filter) => {
    const refused = filterRefusal(filter);
    expect(refused?.status).toBe(501);
    expect(refused?.message.startsWith('The path tokenActionResults/')).toBe(true);
  });
});
