/**
 * The canonical examples in fixtures/: valid payloads built by the factories with a fixed seed, and invalid
 * payloads with the problems each must produce (written by hand here, so the validators are checked against
 * an expectation, not against themselves). `npm run generate:fixtures` writes them.
 */
import {
  FIXTURE_SEED,
  SEED_PAGE_EXAMPLE_REQUEST,
  createRequestFactory,
  errorExampleName,
  errorExampleTraits,
  graphErrorFactory,
  requestExampleTraits as requestTraits,
  responseExampleTraits as responseTraits,
  vppTokenFactory,
} from '../src/fixtures';

export { FIXTURE_SEED };

export interface InvalidCase {
  description: string;
  payload: unknown;
  problems: string[];
}

const ALLOWED_REQUEST_PROPERTIES =
  '@odata.type, id, lastModifiedDateTime, appleDeviceAppDeliveryProtocolType, appleId, automaticallyUpdateApps, claimTokenManagementFromExternalMdm, countryOrRegion, dataSharingConsentGranted, displayName, expirationDateTime, lastSyncDateTime, lastSyncStatus, locationName, organizationName, roleScopeTagIds, state, token, tokenActionResults, vppTokenAccountType';
const DATE_SHAPE =
  'must be a DateTimeOffset: RFC 3339 with Z or ±hh:mm (at most ±14:00, years 0001 to 9999; seconds may be left out), e.g. 2026-06-30T12:00:00Z, 2026-06-30T12:00:00.1234567+02:00 or 2026-06-30T12:00Z';

/** The problem of a vppTokenRevokeLicensesActionResult's own property on an item of the base type. */
const baseTyped = (why: string): string =>
  `is a property of #microsoft.graph.vppTokenRevokeLicensesActionResult only, and this item is a #microsoft.graph.vppTokenActionResult (${why}): a derived type's item must name it in @odata.type`;

function invalidRequests(): Record<string, InvalidCase> {
  const base = createRequestFactory.withSeed(FIXTURE_SEED).buildAt(0);
  return {
    'seed-page-example': {
      description: 'The seed page\'s example request: every enum value is the literal "String".',
      payload: SEED_PAGE_EXAMPLE_REQUEST,
      problems: [
        '/state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")',
        '/tokenActionResults/0/actionState: must be one of none, pending, canceled, active, done, failed, notSupported (got "String")',
        '/lastSyncStatus: must be one of none, inProgress, completed, failed (got "String")',
        '/vppTokenAccountType: must be one of business, education (got "String")',
      ],
    },
    'missing-token': {
      description: 'token is the one required property.',
      payload: { ...base, token: undefined },
      problems: ['/token: is required'],
    },
    'empty-token': {
      description: 'An empty token is no token.',
      payload: { ...base, token: '' },
      problems: ['/token: must not be empty'],
    },
    'null-token': {
      description: 'token may not be null in a create request; the value is never echoed back.',
      payload: { ...base, token: null },
      problems: ['/token: must be a string (got null, not shown)'],
    },
    'unknown-property': {
      description: 'Graph rejects properties a vppToken does not have.',
      payload: { ...base, lastAppCount: 3 },
      problems: [`/lastAppCount: is not a known property (allowed: ${ALLOWED_REQUEST_PROPERTIES})`],
    },
    'null-boolean': {
      description: 'Booleans are not nullable.',
      payload: { ...base, automaticallyUpdateApps: null },
      problems: ['/automaticallyUpdateApps: must be a boolean (got null)'],
    },
    'null-enum': {
      description: 'Enums are not nullable.',
      payload: { ...base, vppTokenAccountType: null },
      problems: ['/vppTokenAccountType: must be one of business, education (got null)'],
    },
    'date-without-zone': {
      description: 'A DateTimeOffset needs Z or an offset.',
      payload: { ...base, expirationDateTime: '2027-06-30T12:00:00' },
      problems: [`/expirationDateTime: ${DATE_SHAPE} (got "2027-06-30T12:00:00")`],
    },
    'wrong-odata-type': {
      description: '@odata.type, when present, names the vppToken type.',
      payload: { '@odata.type': '#microsoft.graph.vppTokens', token: base.token },
      problems: ['/@odata.type: must be one of #microsoft.graph.vppToken, microsoft.graph.vppToken, #graph.vppToken, graph.vppToken (got "#microsoft.graph.vppTokens")'],
    },
    'wrong-types': {
      description: 'Every problem is listed, not just the first.',
      payload: { token: base.token, roleScopeTagIds: '0', displayName: 42, state: 'Valid' },
      problems: [
        '/displayName: must be a string or null (got 42)',
        '/roleScopeTagIds: must be an array (got "0")',
        '/state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "Valid")',
      ],
    },
    'derived-property-on-base-action-result': {
      description: "A base-typed action result (named so, or without @odata.type) carrying the license counts only vppTokenRevokeLicensesActionResult has (decision 0105).",
      payload: {
        token: base.token,
        tokenActionResults: [
          { '@odata.type': '#microsoft.graph.vppTokenActionResult', actionName: 'RevokeLicenses', actionState: 'done', failedLicensesCount: 0, totalLicensesCount: 12 },
          { actionName: 'RevokeLicenses', actionState: 'failed', actionFailureReason: 'appleFailure' },
        ],
      },
      problems: [
        `/tokenActionResults/0/failedLicensesCount: ${baseTyped('its @odata.type is "#microsoft.graph.vppTokenActionResult"')}`,
        `/tokenActionResults/0/totalLicensesCount: ${baseTyped('its @odata.type is "#microsoft.graph.vppTokenActionResult"')}`,
        `/tokenActionResults/1/actionFailureReason: ${baseTyped('it has no @odata.type')}`,
      ],
    },
    'not-an-object': {
      description: 'The body is one vppToken object, not a list of them.',
      payload: [base],
      problems: ['(root): must be an object (got an array)'],
    },
  };
}

function invalidResponses(): Record<string, InvalidCase> {
  const base = vppTokenFactory.withSeed(FIXTURE_SEED).buildAt(0);
  const full = vppTokenFactory.withSeed(FIXTURE_SEED).withTraits('full').buildAt(0);
  return {
    'missing-id': {
      description: 'A created vppToken has the id the server gave it.',
      payload: { ...base, id: undefined },
      problems: ['/id: is required'],
    },
    'id-not-a-guid': {
      description: 'Graph ids for vppTokens are GUIDs.',
      payload: { ...base, id: '42' },
      problems: ['/id: must be a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e (got "42")'],
    },
    'missing-properties': {
      description: 'Every property is answered, null where nullable.',
      payload: { id: base.id, token: base.token },
      problems: [
        'appleId', 'automaticallyUpdateApps', 'claimTokenManagementFromExternalMdm', 'countryOrRegion',
        'dataSharingConsentGranted', 'displayName', 'expirationDateTime', 'lastModifiedDateTime', 'lastSyncDateTime',
        'lastSyncStatus', 'locationName', 'organizationName', 'roleScopeTagIds', 'state', 'tokenActionResults',
        'vppTokenAccountType',
      ].map((name) => `/${name}: is required`),
    },
    'seed-page-enum-values': {
      description: 'The seed page\'s example response: "String" is no enum member.',
      payload: { ...base, state: 'String', lastSyncStatus: 'String', vppTokenAccountType: 'String' },
      problems: [
        '/lastSyncStatus: must be one of none, inProgress, completed, failed (got "String")',
        '/state: must be one of unknown, valid, expired, invalid, assignedToExternalMDM, duplicateLocationId (got "String")',
        '/vppTokenAccountType: must be one of business, education (got "String")',
      ],
    },
    'date-without-zone': {
      description: 'lastModifiedDateTime is a DateTimeOffset.',
      payload: { ...base, lastModifiedDateTime: '2026-01-01 10:00:00' },
      problems: [`/lastModifiedDateTime: ${DATE_SHAPE} (got "2026-01-01 10:00:00")`],
    },
    'derived-action-result-relabelled': {
      description: 'A derived action result answered with the base type\'s @odata.type: its own properties are then ones the base type does not have (decision 0105).',
      payload: { ...full, tokenActionResults: full.tokenActionResults.map((item, i) => (i === 0 ? { ...item, '@odata.type': 'microsoft.graph.vppTokenActionResult' } : item)) },
      problems: ['actionFailureReason', 'failedLicensesCount', 'totalLicensesCount'].map((name) => `/tokenActionResults/0/${name}: ${baseTyped('its @odata.type is "microsoft.graph.vppTokenActionResult"')}`),
    },
    'null-date': {
      description: 'DateTimeOffsets are not nullable: Graph answers 0001-01-01T00:00:00Z for "never".',
      payload: { ...base, lastSyncDateTime: null },
      problems: ['/lastSyncDateTime: must be a string (got null)'],
    },
  };
}

function invalidErrors(): Record<string, InvalidCase> {
  return {
    'missing-code': {
      description: 'error.code and error.message are required.',
      payload: { error: { message: 'Bad request' } },
      problems: ['/error/code: is required'],
    },
    'not-graph-shape': {
      description: 'A bare message is not Graph\'s error body.',
      payload: { message: 'Bad request', status: 400 },
      problems: ['/error: is required'],
    },
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const withoutUndefined = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Every file of fixtures/ this catalog produces, by path relative to fixtures/. */
export function renderFixtureFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, traits] of Object.entries(requestTraits)) {
    files.set(`create-request/valid-${name}.json`, json(createRequestFactory.withSeed(FIXTURE_SEED).withTraits(...traits).buildAt(0)));
  }
  for (const [name, traits] of Object.entries(responseTraits)) {
    files.set(`create-response/valid-${name}.json`, json(vppTokenFactory.withSeed(FIXTURE_SEED).withTraits(...traits).buildAt(0)));
  }
  for (const trait of errorExampleTraits) {
    files.set(`graph-error/valid-${errorExampleName(trait)}.json`, json(graphErrorFactory.withSeed(FIXTURE_SEED).withTraits(trait).buildAt(0)));
  }
  files.set('graph-error/valid-real-date-without-zone.json', json({
    error: { code: 'BadRequest', message: 'Resource not found for the segment \'vppToken\'.', innerError: { date: '2019-08-30T16:58:56', 'request-id': '7e2e5c9f-1a0a-4b38-9c8e-0b8f3c1f2a11' } },
  }));
  const invalid: [string, Record<string, InvalidCase>][] = [
    ['create-request', invalidRequests()],
    ['create-response', invalidResponses()],
    ['graph-error', invalidErrors()],
  ];
  for (const [folder, cases] of invalid) {
    for (const [name, c] of Object.entries(cases)) {
      files.set(`${folder}/invalid-${name}.json`, json({ ...c, payload: withoutUndefined(c.payload) }));
    }
  }
  return files;
}

/** Which schema each fixtures/ folder is checked against. */
export const fixtureFolders = { 'create-request': 'request', 'create-response': 'response', 'graph-error': 'error' } as const;
