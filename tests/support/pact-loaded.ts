// pact-js, loaded before a file's check-client runs start. check-client loads it (writePact) when a passing client's
// pact is written, and that first load holds the process: 3.9-4.6 s of wall on a loaded machine, 0.6 s of CPU. Runs
// side by side in one process (a user's check-client is alone in its process, its mock closed by then) wait through
// it: a mock sees a client's re-send late, as if it had waited out Retry-After, and a client's output still in its
// pipe when the wait for it ends is lost (seen in the example file: "output": "" beside a pass). Importing this first
// makes that load happen before any run: what writePact loads, pact-js's pact-core (decision 0550), not pact-js's DSL.
import { pactCore } from '../../src/contract/pact';

pactCore();
