import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context';
import type { Profile } from '../schemas';
import { EXIT, UsageError, checkOutputFile, parseBytes, parseSeconds, parseInteger, systemReason, verdictExitCode, verdictWord } from './errors';
import { writeFileWhole } from '../net/file';
import { profileOption, targetVersionMismatch } from './profile';
import { publicHostOption } from './public-host';
import { addFaultOptions, faultOptionsOf, type FaultFlags } from './faults';
import { addTrustOptions, trustFrom } from './trust';

interface ProxyFlags extends FaultFlags {
  publicHost?: string[];
  target: string;
  port: number;
  host: string;
  profile: Profile;
  ca?: string;
  insecure?: boolean;
  timeout: number;
  bodyLimit?: number;
  strict?: boolean;
  record?: string;
  consumer: string;
  har?: string;
  report?: string;
  junit?: string;
  quiet?: boolean;
  concurrency?: number;
}

/**
 * Writes one output file whole or not at all (decision 0221); one that can't be written (a full disk) does not stop
 * the others: its line is kept for the end, where the run exits 2. The line's reason is the system's words (ENOSPC) or,
 * for another error (Pact's, while --record writes), its message, which `hide` rids of the traffic's credentials: the
 * line is printed on stderr and kept in the report as it is (decision 0801).
 */
async function writeOutput(option: string, file: string, write: () => unknown, unwritten: string[], hide: (text: string) => string): Promise<boolean> {
  const existed = existsSync(file);
  try {
    await write();
    return true;
  } catch (error) {
    unwritten.push(`cannot write ${option} ${file}: ${hide(systemReason(error))}; ${existed ? 'the file there was left as it was' : 'no file was made'}`);
    return false;
  }
}

export function registerProxy(program: Command, ctx: CliContext): void {
  const command = program
    .command('proxy')
    .description('Forward any client\'s traffic to a Graph (real or not) and judge each vppToken create and its answer on the way')
    .requiredOption('--target <url>', 'where every request goes, e.g. https://graph.microsoft.com or http://127.0.0.1:8080/beta')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseInteger('--port', 0, 65535), 8000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(...profileOption)
    .option(...publicHostOption)
    .option('--timeout <seconds>', 'how long the target may stay silent on one request before the client gets 504, and its answer take from head to end', parseSeconds('--timeout'), 30)
    .option('--body-limit <bytes>', "the target's body limit, and the most bytes of a body kept and judged: a body over it must get 413, and only its size is kept; in bytes or with KiB/MiB; default Graph's 4 MB (4 MiB)", parseBytes('--body-limit'))
    .option('--strict', 'answer a create the contract refuses with Graph\'s refusal, without forwarding it')
    .option('--record <file>', 'on exit, write a Pact V4 file of the creates seen (one interaction per request shape)')
    .option('--consumer <name>', 'consumer name in the --record pact', 'vpptokens-client')
    .option('--har <file>', 'on exit, write a HAR 1.2 log of every request (credentials and tokens redacted)')
    .option('--report <file>', 'on exit, write the JSON report (violations by side and check)')
    .option('--junit <file>', 'on exit, write JUnit XML: one test case per side and check')
    .option('--quiet', 'no line per request (violations are still printed)')
    .option('--concurrency <n>', 'the most requests the client runs at once (retry-after counts its workers by it; default 8)', parseInteger('--concurrency', 1));
  addTrustOptions(command, 'target');
  addFaultOptions(command);
  command
    .addHelpText(
      'after',
      `
Point the client at the proxy's address instead of the target (its base URL keeps /beta or /v1.0 if it had one;
a --target with a path, such as http://127.0.0.1:8080/beta, puts that path in front of every request).
Each POST .../deviceAppManagement/vppTokens is judged with its answer; each violation is printed at once as
  request N: <client|provider>: <check>: <where>: <what is wrong>
Other requests pass through unjudged. Nothing is changed on the way unless --strict or a fault option is given.
Faults (as vppkit serve) hit authenticated requests to vppTokens routes; the client gets the fault instead
of the target's answer, and the request is not forwarded.
Ctrl-C or SIGTERM stops accepting, lets requests in flight finish (up to 10 s), writes the files and prints a
summary; a second one cuts the requests in flight and exits 130 at once.
Exit code 1 when any violation was seen, else 0; 2 when the proxy could not start (the target unreachable or
its certificate untrusted, the port in use, an output file's folder missing), judged no create and saw no
violation (no verdict), or could not write a file (each file is written whole or not at all; the others still are). Bearers, VPP tokens and URL
credentials are never printed or written.

Examples:
  vppkit proxy --target https://graph.microsoft.com --port 8000 --record pacts/my-app.json --har traffic.har
  vppkit proxy --target http://127.0.0.1:8080/beta --strict --report proxy.json --junit proxy.xml
  vppkit proxy --target http://127.0.0.1:8080 --fail-rate 0.2 --fail-with 429,503 --seed 7`,
    )
    .action(async (flags: ProxyFlags) => {
      // The creates are judged by the version of the path they are forwarded to (the target's /v1.0 for a client's
      // unversioned path): without --profile that is the proxy's profile, said in the banner and recorded by; a
      // --profile given that names another is said for what it does, --record's choice (decision 0851, R93).
      const profileGiven = command.getOptionValueSource('profile') === 'cli';
      const mismatch = profileGiven ? targetVersionMismatch(flags.profile, flags.target) : undefined;
      if (mismatch) ctx.stderr.write(`vppkit: ${mismatch}\n`);
      const tls = await trustFrom(flags, ctx);
      if (tls && !/^https:/i.test(flags.target)) throw new UsageError('--ca and --insecure apply to an https --target only');
      for (const [option, file] of [['--record', flags.record], ['--har', flags.har], ['--report', flags.report], ['--junit', flags.junit]] as const) checkOutputFile(option, file);
      if (flags.record) {
        // The --record pact is written by Pact under <consumer>-<provider>.json first: a name no file takes is said now.
        const { pactFileProblem, VPP_TOKENS_PROVIDER } = await import('../contract/names');
        const named = pactFileProblem({ consumer: flags.consumer, provider: VPP_TOKENS_PROVIDER });
        if (named) throw new UsageError(named);
      }
      const faults = await faultOptionsOf(flags, ctx);
      const { startJudgingProxy, ProxyStartError, proxyReport, proxyJunit, harOf, recordPact, judgeProxiedBehaviour, NothingToJudgeError, withoutSecrets, DEFAULT_DRAIN_MS } = await import('../proxy');
      const out = (line: string) => ctx.stdout.write(`${line}\n`);
      let proxy: Awaited<ReturnType<typeof startJudgingProxy>>;
      try {
        proxy = await startJudgingProxy({
          target: flags.target,
          port: flags.port,
          host: flags.host,
          ...(profileGiven ? { profile: flags.profile } : {}),
          tls,
          timeoutMs: Math.round(flags.timeout * 1000),
          bodyLimit: flags.bodyLimit,
          strict: flags.strict,
          publicHosts: flags.publicHost,
          faults,
          keepBodies: flags.har !== undefined,
          log: flags.quiet ? undefined : out,
          onViolation: (_violation, line) => out(line),
        });
      } catch (error) {
        if (error instanceof ProxyStartError) throw new UsageError(error.message);
        throw error;
      }
      out(`listening on ${proxy.url}, forwarding to ${proxy.target} (Graph ${proxy.profile}${proxy.strict ? ', --strict' : ''})`);
      if (proxy.faults) out(proxy.faults.description);

      // The first interrupt drains and writes; a second one cuts what is in flight and ends at once.
      ctx.handleInterrupts();
      const interrupted = await new Promise<string>((resolve) => {
        const name = () => (typeof ctx.signal.reason === 'string' ? ctx.signal.reason : 'interrupted');
        if (ctx.signal.aborted) resolve(name());
        else ctx.signal.addEventListener('abort', () => resolve(name()), { once: true });
      });
      const cutting = new Promise<'cut'>((resolve) => {
        if (ctx.abandon?.aborted) resolve('cut');
        else ctx.abandon?.addEventListener('abort', () => resolve('cut'), { once: true });
      });
      if (proxy.inFlight > 0) out(`${interrupted}: stopping: waiting for ${proxy.inFlight} request${proxy.inFlight === 1 ? '' : 's'} in flight (up to ${DEFAULT_DRAIN_MS / 1000} s; again to cut them)`);
      const closing = proxy.close();
      if ((await Promise.race([closing, cutting])) === 'cut') {
        await proxy.abandon();
        await closing;
        ctx.stderr.write('vppkit: interrupted again: requests in flight cut, no file written\n');
        ctx.exitCode = EXIT.interrupted;
        return;
      }
      const { abandoned } = await closing;
      if (abandoned > 0) out(`cut ${abandoned} request${abandoned === 1 ? '' : 's'} still in flight after ${DEFAULT_DRAIN_MS / 1000} s`);

      // The client's behaviour is judged from the traffic in every run, faults or none, as check-client judges it
      // (decision 0205, outside tester I13). No create in the traffic is nothing to judge: said (proxyReport decides
      // whether the run fails for it).
      let behaviour: ReturnType<typeof judgeProxiedBehaviour> | InstanceType<typeof NothingToJudgeError> | undefined;
      try {
        behaviour = judgeProxiedBehaviour(proxy.traffic, { concurrency: flags.concurrency });
      } catch (error) {
        if (!(error instanceof NothingToJudgeError)) throw error;
        behaviour = error;
      }
      if (behaviour instanceof NothingToJudgeError) out(`behaviour: not judged: ${behaviour.message}`);
      else if (behaviour) {
        for (const check of behaviour.checks) for (const finding of check.findings) out(`behaviour: client: ${finding.check}: ${finding.message}`);
        out(`behaviour: ${behaviour.summary}`);
      }
      // Hidden as written (decision 0683): the report, and the JUnit made of it, hold no credential of the traffic.
      const report = proxyReport(proxy, behaviour);
      // Each file is written whole or not at all, and one that can't be written does not stop the others; the
      // report goes last, so that its exitCode is the run's (decision 0221).
      const unwritten: string[] = [];
      const hide = (text: string) => withoutSecrets(text, proxy.exchanges);
      // A run asked to record that wrote no pact did not do its job: exit 2, and an earlier run's file at the path is
      // kept and said not to be this run's, as check-client says (decisions 0661, 0850: outside finding R92).
      let noPact: string | undefined;
      if (flags.record) {
        const file = flags.record;
        const earlier = existsSync(file);
        let recorded: Awaited<ReturnType<typeof recordPact>> | undefined;
        if (await writeOutput('--record', file, async () => (recorded = await recordPact(proxy.exchanges, file, { consumer: flags.consumer, profile: proxy.profile })), unwritten, hide)) {
          const left = Object.entries(recorded!.left).map(([why, n]) => `${n} ${why}`);
          if (recorded!.file) out(`wrote ${recorded!.file}: ${recorded!.interactions} interaction${recorded!.interactions === 1 ? '' : 's'}${left.length ? ` (left out: ${left.join(', ')})` : ''}`);
          else {
            noPact = `no pact written: no create ${left.length ? `a pact can describe (left out: ${left.join(', ')})` : 'was seen'}${earlier ? `; the pact that was there, ${file}, is kept: it is not this run's` : `; ${file} not written`}`;
            unwritten.push(noPact);
          }
        }
      }
      if (flags.har) {
        const har = `${JSON.stringify(harOf(proxy.exchanges, { name: 'vppkit', version: require('../../package.json').version as string }), null, 2)}\n`;
        if (await writeOutput('--har', flags.har, () => writeFileWhole(flags.har!, har), unwritten, hide)) out(`wrote ${flags.har}: ${proxy.exchanges.length} entr${proxy.exchanges.length === 1 ? 'y' : 'ies'}`);
      }
      if (flags.junit) {
        const junit = proxyJunit(report, noPact === undefined ? {} : { noPact });
        if (await writeOutput('--junit', flags.junit, () => writeFileWhole(flags.junit!, junit), unwritten, hide)) out(`wrote ${flags.junit}`);
      }
      // A file not written is exit 2; so is no pact from a run that passed (a failed one keeps its 1: the violations
      // say why, as check-client writes no pact for a failed run).
      const verdictCode = verdictExitCode(report);
      const runExitCode = () => (unwritten.some((line) => line !== noPact) || (noPact !== undefined && verdictCode === EXIT.ok) ? EXIT.couldNotRun : verdictCode);
      const exitCode = runExitCode();
      if (flags.report) {
        // proxyReport hid the traffic's credentials (decision 0683); what is added here is the exit code and the lines
        // of files not written, hidden as they were made (writeOutput) and printed so on stderr: no second redaction of
        // the whole text (decision 0801).
        const json = `${JSON.stringify({ ...report, exitCode, ...(unwritten.length ? { unwritten } : {}) }, null, 2)}\n`;
        if (await writeOutput('--report', flags.report, () => writeFileWhole(flags.report!, json), unwritten, hide)) out(`wrote ${flags.report}`);
      }
      out(`vppkit proxy: ${verdictWord(report)}: ${report.summary}`);
      for (const line of unwritten) ctx.stderr.write(`vppkit: ${line}\n`);
      ctx.exitCode = runExitCode();
    });
}
