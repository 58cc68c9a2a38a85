// A client that starts a grandchild server holding a port and ignoring SIGTERM (as a dev server started by a
// test script might), writes the port to argv[2], then either sends one good request and exits 0 (argv[3] =
// "exit") or hangs while ignoring SIGTERM itself (argv[3] = "hang").
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const [portFile, mode] = process.argv.slice(2);
const server = `process.on('SIGTERM', () => {});
const s = require('node:net').createServer().listen(0, '127.0.0.1', () => require('node:fs').writeFileSync(${JSON.stringify(portFile)}, String(s.address().port)));`;
spawn(process.execPath, ['-e', server], { stdio: 'ignore' });
const ready = setInterval(async () => {
  if (!existsSync(portFile) || readFileSync(portFile, 'utf8') === '') return;
  clearInterval(ready);
  if (mode === 'hang') {
    process.on('SIGTERM', () => {});
    setInterval(() => {}, 1000);
    return;
  }
  // Through node:http (decision 0711: fetch compiled undici's parser in this process, 0.3 s of CPU).
  const body = JSON.stringify({ token: 'eyJ0b2tlbiI6InRoaXMgaXMgYSB0b2tlbiIsImV4cERhdGUiOiIyMDQxLTA2LTAxVDAwOjAwOjAwKzAwMDAiLCJvcmdOYW1lIjoiQ29udG9zbyJ9' });
  const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer t', 'Content-Length': Buffer.byteLength(body) };
  const out = require('node:http').request(`${process.env.VPPKIT_MOCK_URL}/deviceAppManagement/vppTokens`, { method: 'POST', headers }, (response) => {
    response.resume();
    response.on('end', () => process.exit(response.statusCode === 201 ? 0 : 3));
  });
  out.end(body);
}, 20);
