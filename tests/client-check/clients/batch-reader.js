// A client that creates vppTokens in one JSON batch and sends again, after the Retry-After it was given, each create
// answered 429 or 503, in a batch of its own, until none is left (at most 5 batches); then it exits. argv[2] is
// JSON: { "read": "by-id" | "by-place", "bodies": [create bodies] }; the creates' ids are "1", "2", ... `by-id` finds
// each answer by its request's id, as Graph asks (json-batching); `by-place` takes the answer listed at the
// request's place, a client's bug that only a service answering in another order shows (decision 0541).
// Optional: "rounds" (most batches, default 5), "giveUp" (the exit code when a create is still left after them,
// default 0; non-zero gives up loudly) and "done" (the exit code when none is left, default 0).
// The tests run `readBatches` in their own process (decision 0710), with an agent of their own.
const { request, globalAgent } = require('node:http');

function post(mockUrl, agent, members) {
  const bytes = Buffer.from(JSON.stringify({ requests: members }));
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token', 'Content-Length': bytes.length };
    const out = request(`${mockUrl}/$batch`, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')).responses));
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(bytes);
  });
}

/** Sends the batches as said above to the mock at `mockUrl`; resolves to the exit code. */
async function readBatches({ read, bodies, rounds = 5, giveUp = 0, done = 0 }, mockUrl, agent = globalAgent) {
  let left = bodies.map((body, i) => ({ id: String(i + 1), method: 'POST', url: '/deviceAppManagement/vppTokens', headers: { 'Content-Type': 'application/json' }, body }));
  for (let round = 0; round < rounds && left.length > 0; round++) {
    const responses = await post(mockUrl, agent, left);
    const answers = left.map((member, i) => (read === 'by-id' ? responses.find((r) => r.id === member.id) : responses[i]));
    const again = left.filter((_, i) => answers[i].status === 429 || answers[i].status === 503);
    const wait = Math.max(0, ...answers.filter((a) => a.status === 429 || a.status === 503).map((a) => Number(a.headers['Retry-After'] ?? 1)));
    left = again;
    if (left.length > 0 && round + 1 < rounds) await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
  }
  return left.length > 0 ? giveUp : done;
}

module.exports = { readBatches };

if (require.main === module) readBatches(JSON.parse(process.argv[2]), process.env.VPPKIT_MOCK_URL).then((code) => process.exit(code));
