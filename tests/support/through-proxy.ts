// The judging proxy in front of a target for one test: its log and violation lines gathered, closed after `use`.
import { startJudgingProxy, type JudgingProxy, type JudgingProxyOptions } from 'vpptokens-contract-kit/proxy';

export async function through<T>(target: string, use: (proxy: JudgingProxy, lines: string[]) => Promise<T>, options: Partial<JudgingProxyOptions> = {}): Promise<T> {
  const lines: string[] = [];
  const proxy = await startJudgingProxy({ target, log: (l) => lines.push(l), onViolation: (_v, l) => lines.push(l), ...options });
  try {
    return await use(proxy, lines);
  } finally {
    await proxy.close();
  }
}
