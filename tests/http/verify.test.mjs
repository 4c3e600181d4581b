// Public document verification over HTTP, against the real binary: the form, a malformed
// code, an unknown code (404 in Chinese, as a page and as JSON), and that none of it is
// cached. The valid path (a real signed document) is covered by the unit and contract
// tests until cases issue documents end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './server.mjs';

let srv;
before(async () => { srv = await startServer({ demo: false, args: ['--public-url', 'https://zwfw.example.gov.cn'] }); });
after(async () => { await srv.stop(); });

const html = { headers: { accept: 'text/html' }, redirect: 'manual' };

test('GET /verify shows an accessible form that needs no JavaScript', async () => {
  const res = await fetch(`${srv.url}/verify`, html);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = await res.text();
  assert.match(body, /<html lang="zh-CN">/);
  assert.match(body, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(body, /<h1>文书核验<\/h1>/);
  assert.match(body, /<form[^>]*action="\/verify"[^>]*method="get"/);
  assert.match(body, /<label for="verify-code">文书验证码<\/label>/);
  assert.match(body, /id="verify-code" name="code"/);
  assert.doesNotMatch(body, /<script/);
});

test('a typed code is normalised and redirected to its one address', async () => {
  const res = await fetch(`${srv.url}/verify?code=${encodeURIComponent(' 7k2m 9qxr 4t8v hw3b ')}`, html);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/verify/7K2M-9QXR-4T8V-HW3B');
});

test('a malformed code shows the form again with a Chinese error (400)', async () => {
  const res = await fetch(`${srv.url}/verify?code=${encodeURIComponent('<b>123</b>')}`, html);
  assert.equal(res.status, 400);
  const body = await res.text();
  assert.match(body, /role="alert">验证码应为 16 位字母和数字/);
  assert.match(body, /aria-invalid="true"/);
  assert.match(body, /value="&lt;b&gt;123&lt;\/b&gt;"/);  // escaped, never raw
  const empty = await fetch(`${srv.url}/verify?code=`, html);
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /请输入文书验证码/);
});

test('an unknown code is a 404 page in Chinese with the form to try again', async () => {
  for (const code of ['0000-0000-0000-0000', 'not-a-code', '%3Cscript%3E']) {
    const res = await fetch(`${srv.url}/verify/${code}`, html);
    assert.equal(res.status, 404, code);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.text();
    assert.match(body, /未找到该文书/);
    assert.match(body, /<form[^>]*action="\/verify"/);
    assert.doesNotMatch(body, /<script>/);
  }
});

test('GET /api/v1/verify/{code} answers 404 JSON for an unknown code', async () => {
  const res = await fetch(`${srv.url}/api/v1/verify/0000-0000-0000-0000`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = await res.json();
  assert.equal(body.error.code, 'document_not_found');
  assert.match(body.error.message, /未找到/);
});

test('the document signing key is created in the data directory, private', async () => {
  const key = join(srv.dataDir, 'keys', 'documents.key');
  assert.ok(existsSync(key));
  assert.equal(statSync(key).mode & 0o077, 0);
  assert.equal(statSync(key).size, 32);
});

test('the verify routes are public in the route table', async () => {
  const { execFileSync } = await import('node:child_process');
  const { BIN } = await import('./server.mjs');
  const out = execFileSync(BIN, ['routes', '--data', srv.dataDir]).toString();
  assert.match(out, /^GET \/verify public$/m);
  assert.match(out, /^GET \/verify\/\{code\} public$/m);
  assert.match(out, /^GET \/api\/v1\/verify\/\{code\} public$/m);
});
