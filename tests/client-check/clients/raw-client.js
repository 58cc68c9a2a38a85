// A client that sends exactly the requests given as JSON in argv[2] to $VPPKIT_MOCK_URL, then exits with
// argv[3] (default 0). Stands in for a client in any language. `{id}` in a path is the id of the vppToken the
// client created last (read back from the 201 body); `say` is printed on stdout, as a client's own output.
const requests = JSON.parse(process.argv[2]);
(async () => {
  let id = 'none-created';
  for (const r of requests) {
    if (r.say) {
      console.log(r.say);
      continue;
    }
    const body = r.rawBody ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
    const path = (r.path ?? '/deviceAppManagement/vppTokens').replace('{id}', id);
    const response = await fetch(`${process.env.VPPKIT_MOCK_URL}${path}`, { method: r.method ?? 'POST', headers: r.headers ?? { 'Content-Type': 'application/json', Authorization: 'Bearer client-secret-token' }, body });
    const text = await response.text();
    if (response.status === 201) id = JSON.parse(text).id;
  }
  process.exit(Number(process.argv[3] ?? 0));
})();
