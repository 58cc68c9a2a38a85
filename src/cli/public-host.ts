import { publicHostOf } from '../net/url';
import { UsageError } from './errors';

/**
 * `--public-host <host>`, repeatable, one meaning on verify, conform and proxy: a host the service under test
 * names itself by in its answers behind a gateway, which a 201's Location and @odata.context may then name
 * besides the host asked and Graph's own (docs/decisions/0190). `.option(...publicHostOption)`.
 */
export const publicHostOption = [
  '--public-host <host>',
  "a host the provider names itself by behind a gateway (gw.example, gw.example:8443), repeatable: a 201's Location and @odata.context may name it besides the host asked and Graph's own",
  (value: string, previous: string[] = []): string[] => [...previous, publicHostOf(value, '--public-host', (message) => new UsageError(message))],
] as const;
