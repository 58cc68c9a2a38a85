import { writeFileWhole } from '../net';
import type { Command } from 'commander';
import type { Profile } from '../schemas';
import type { CliContext } from './context';
import { UsageError, systemReason } from './errors';
import { profileOption } from './profile';

export function registerOpenApi(program: Command, ctx: CliContext): void {
  program
    .command('openapi')
    .description('Print the OpenAPI 3.1 document of the operation, generated from the schemas (for Prism, Schemathesis, PactFlow)')
    .option(...profileOption)
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
The document is the kit's contract in OpenAPI: POST /{beta|v1.0}/deviceAppManagement/vppTokens, the request body,
201 with the vppToken, Graph's error body for 400, 401, 403, 413, 415, 429, 503 and 504 (Retry-After on 429 and
503), the bearer scheme with the permissions Graph asks for, and the committed fixtures as examples. The same
document is in the package: vpptokens-contract-kit/openapi/vpptokens-beta.openapi.json (and -v1.0).

Examples:
  vppkit openapi > vpptokens.openapi.json
  vppkit openapi --profile v1.0 --out vpptokens-v1.0.openapi.json
  npx @stoplight/prism-cli mock vpptokens.openapi.json      # a stand-in for Graph`,
    )
    .action(async (opts: { profile: Profile; out?: string }) => {
      const { openApiText } = await import('../openapi');
      const text = openApiText(opts.profile);
      if (!opts.out) {
        ctx.stdout.write(text);
        return;
      }
      try {
        writeFileWhole(opts.out, text);
      } catch (error) {
        throw new UsageError(`cannot write ${opts.out}: ${systemReason(error)}`);
      }
    });
}
