/**
 * conform's budget in a test of a provider whose every answer carries the fault the test is about (a framing, a
 * header line, a host in its links): the fault is found on the first creates, and under a budget each kind of
 * request takes its turn (valid, invalid, transport; each family's first case, then its second), so 30 requests
 * find what the whole run of about 190 found (decision 0281). A run that must pass keeps the whole run: a false
 * finding may hide in any request.
 */
export const FAULT_IN_EVERY_ANSWER = { runs: 1, maxRequests: 30 } as const;
