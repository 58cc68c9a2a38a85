// A client with a timeout of its own (outside tester J28): it creates the first vppToken it is given and waits for
// the answer, then the second; with argv[3] 'blind' it gives up on the second after 200 ms and re-sends it once
// without reading back what became of the first (the retry the behaviour checks exist to catch), then exits 0
// either way. With 'waits' it waits for each answer. argv[2]: the bodies as JSON.
const base = `${process.env.VPPKIT_MOCK_URL}/beta/deviceAppManagement/vppTokens`;
const [first, second] = JSON.parse(process.argv[2]);
const blind = process.argv[3] === 'blind';
const headers = { Authorization: 'Bearer impatient', 'Content-Type': 'application/json' };

async function create(body, timeoutMs) {
  const response = await fetch(base, { method: 'POST', headers, body: JSON.stringify(body), ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}) });
  await response.arrayBuffer();
  return response.status;
}

(async () => {
  await create(first);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await create(second, blind ? 200 : undefined);
      break;
    } catch {
      // Its own timeout: an unknown outcome, re-sent blindly.
    }
  }
})();
