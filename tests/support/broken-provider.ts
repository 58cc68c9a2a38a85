// Deliberately broken providers: each forwards to the reference provider and breaks one thing on the way back,
// so a verification test can show that the contract catches exactly that defect.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createdVppToken } from 'vpptokens-contract-kit';
import { startReferenceProvider } from 'vpptokens-contract-kit/provider';

export type Defect =
  | 'wrong status'
  | 'missing id'
  | 'wrong types'
  | 'bad enum'
  | 'date without a zone'
  | 'no auth check'
  | 'no validation'
  | 'non-Graph error body'
  | 'text/plain content type';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const breakers: Record<Defect, { request?: (headers: Record<string, string>) => void; response: (answer: Answer) => void }> = {
  'wrong status': { response: (a) => void (a.status === 201 && (a.status = 200)) },
  'missing id': { response: (a) => void delete a.body.id },
  'wrong types': { response: (a) => void (a.status === 201 && (a.body.automaticallyUpdateApps = String(a.body.automaticallyUpdateApps))) },
  'bad enum': { response: (a) => void (a.status === 201 && (a.body.state = 'String')) },
  'date without a zone': { response: (a) => void (a.status === 201 && (a.body.lastModifiedDateTime = String(a.body.lastModifiedDateTime).slice(0, 19))) },
  'no auth check': { request: (h) => void (h.authorization ??= 'Bearer injected'), response: () => undefined },
  'no validation': {
    response: (a) => {
      if (a.status !== 400) return;
      a.status = 201;
      a.body = createdVppToken({ token: 'accepted-without-validation' }, { id: '0f8fad5b-d9cb-469f-a165-70867728950e', now: new Date() }) as never;
    },
  },
  'non-Graph error body': { response: (a) => void (a.status >= 400 && (a.body = { message: 'Bad Request', statusCode: a.status })) },
  'text/plain content type': { response: (a) => void (a.headers['content-type'] = 'text/plain') },
};

export const defects = Object.keys(breakers) as Defect[];

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrokenProvider(defect: Defect): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = await startReferenceProvider();
  const breaker = breakers[defect];
  const server = createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      breaker.request?.(headers);
      const response = await fetch(`${upstream.url}${req.url}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : await readAll(req) });
      const answer: Answer = { status: response.status, headers: { 'content-type': response.headers.get('content-type') ?? '' }, body: (await response.json()) as Record<string, unknown> };
      breaker.response(answer);
      res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await upstream.close();
    },
  };
}
