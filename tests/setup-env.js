// Pact's native core sends usage telemetry unless told not to, and there is no network here.
process.env.PACT_DO_NOT_TRACK = 'true';
