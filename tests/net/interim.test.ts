// Outside tester R36: the kit's HTTP client dropped the interim 1xx answers before an answer, so nothing judged them:
// a provider's 103 carrying the request's bearer passed "credentials not echoed". The client keeps each (its status,
// reason phrase and header lines), as the proxy's streamer hands them on (RFC 9110 §15.2; decision 0521).
import { createHttpClient } from '../../src/net';
import { MAX_INTERIM_ANSWERS } from '../../src/net/http';
import { loopbackServers } from '../support/listen';

const serve = loopbackServers();

it('keeps the interim answers before an answer, each with its status, reason phrase and header lines, in order', async () => {
  const url = await serve((req, res) => {
    req.resume().on('end', () => {
      res.writeProcessing();
      res.writeEarlyHints({ link: '</a.css>; rel=preload; as=style', 'x-debug': 'one' });
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  const client = createHttpClient();
  try {
    const answer = await client.send({ method: 'POST', url, body: '{}' });
    expect(answer).toMatchObject({
      kind: 'answer',
      status: 201,
      interim: [
        { status: 102, statusText: 'Processing', rawHeaders: [] },
        { status: 103, statusText: 'Early Hints', rawHeaders: ['Link', '</a.css>; rel=preload; as=style', 'x-debug', 'one'] },
      ],
    });
    // An answer with none has none.
    const plain = await serve((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
    const none = await client.send({ method: 'GET', url: plain });
    expect(none.kind === 'answer' && 'interim' in none).toBe(false);
  } finally {
    client.close();
  }
});

it(`keeps an interim answer once however often it came, and at most ${MAX_INTERIM_ANSWERS} different ones`, async () => {
  const url = await serve((req, res) => {
    req.resume().on('end', () => {
      // A 102 every few seconds to keep a client waiting is one head, sent again and again: judged once.
      for (let i = 0; i < 200; i++) res.writeProcessing();
      for (let i = 0; i < MAX_INTERIM_ANSWERS + 5; i++) res.writeEarlyHints({ link: `</${i}.css>; rel=preload` });
      res.writeHead(200).end('{}');
    });
  });
  const client = createHttpClient();
  try {
    const answer = await client.send({ method: 'GET', url });
    expect(answer).toMatchObject({ kind: 'answer', status: 200 });
    const kept = answer.kind === 'answer' ? (answer.interim ?? []) : [];
    expect(kept.length).toBe(MAX_INTERIM_ANSWERS);
    expect(kept.slice(0, 2)).toEqual([
      { status: 102, statusText: 'Processing', rawHeaders: [] },
      { status: 103, statusText: 'Early Hints', rawHeaders: ['Link', '</0.css>; rel=preload'] },
    ]);
  } finally {
    client.close();
  }
});
