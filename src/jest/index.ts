/**
 * jest matchers for Graph vppTokens, judged by the kit's schemas with the same pointer-level problems as
 * `vppkit validate`:
 *
 *   // jest.config.js
 *   setupFilesAfterEnv: ['vpptokens-contract-kit/jest']
 *
 *   expect(body).toBeValidVppTokenCreateRequest();        // Graph beta
 *   expect(body).toBeValidVppTokenCreateRequest('v1.0');  // Graph v1.0
 *   expect(created).toBeValidVppToken('v1.0');
 *   expect(answer).toBeGraphError();
 *   expect(createVppToken).toHaveBeenCalledWith(expect.toBeValidVppTokenCreateRequest()); // asymmetric (0750)
 *
 *   // A client's behaviour under faults, from a reference provider's traffic (decision 0060):
 *   expect(provider.traffic).toHonourRetryAfter();
 *   expect(provider.traffic).toCreateEachTokenOnce();
 *   expect(provider.traffic).toBoundRetries({ maxAttempts: 5 });
 *   expect(provider.traffic).toLoseNoTokenSilently();
 *   expect(provider.traffic).toBehaveUnderFailure(); // all four
 *
 * Importing this module registers the matchers on jest's global `expect` and brings their TypeScript
 * declarations (for type checking, list it in tsconfig `types` or import it once in a .d.ts).
 */
export { vppkitMatchers } from './matchers';
