// A client that sends exactly the requests given as JSON in argv[2] to $VPPKIT_MOCK_URL, then exits with
// argv[3] (default 0). Stands in for a client in any language.
const requests = JSON.parse(process.argv[2]);
(async () => {
  for (const r of requests) {
    const body = r.rawBody ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    const response = await fetch(`${process.env.VPPKIT_MOCK_URL}${r.path ?? '/deviceAppManagement/vppTokens'}`, { method: r.method ?? 'POST', headers: r.headers ?? { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' }, body });
    await response.text();
  }
  process.exit(Number(process.argv[3] ?? 0));
})();
