// VPPKIT_BEARER is seed's default for --bearer (its --help says so); verify and conform take the access token by
// --bearer alone: a variable set for seed in a CI job would otherwise be sent, unasked, to every provider verify or
// conform runs against, and replace the pacts' own Authorization. Set and not read, it is said once, never its value
// (outside attacker R117, decision 0992: an empty VPPKIT_BEARER was an error in seed and silence in conform).
import type { CliContext } from './context';

export function unreadBearerVariableNote(ctx: Pick<CliContext, 'env' | 'stderr'>, command: 'verify' | 'conform', bearer: string | undefined): void {
  if (bearer !== undefined || ctx.env.VPPKIT_BEARER === undefined) return;
  ctx.stderr.write(`vppkit: note: VPPKIT_BEARER is seed's: ${command} takes the access token by --bearer alone and does not read the variable\n`);
}
