// Uploaded materials over HTTP, against the real binary (SQLite, demo data): upload with a
// session and the CSRF header, download as an inert attachment, and the refusals: someone
// else's upload, no CSRF token, a body over the limit, HTML dressed as a PDF, a polyglot,
// a path in the file name, malformed multipart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, rawRequest } from './server.mjs';

let srv;
let alice, bob;
before(async () => {
  srv = await startServer();
  alice = await signUp('445102199003071230', '张三');
  bob = await signUp('445122200002290029', '李四');
});
after(async () => { await srv.stop(); });

const BOUNDARY = '----ShenpiTestBoundary7MA4YWxkTrZu0gW';
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n', 'latin1');
// The common 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function signUp(idNumber, name) {
  const password = 'correct horse battery';
  const reg = await fetch(`${srv.url}/api/v1/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'person', name, id_number: idNumber, mobile: '13812345678', password }),
  });
  assert.equal(reg.status, 201, await reg.text());
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: idNumber, password }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
  return { cookie, csrf: (await res.json()).csrf_token };
}

/** A multipart/form-data body of parts {name, filename, type, data} (filename raw UTF-8, as browsers send). */
function multipart(parts) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name ?? 'file'}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

async function upload(who, body, { csrf = true, contentType = `multipart/form-data; boundary=${BOUNDARY}` } = {}) {
  const headers = { 'content-type': contentType };
  if (who) headers.cookie = who.cookie;
  if (who && csrf) headers['x-csrf-token'] = who.csrf;
  const res = await fetch(`${srv.url}/api/v1/uploads`, { method: 'POST', headers, body });
  return { res, body: await res.json() };
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

test('an applicant uploads a PDF and downloads it back as an inert attachment', async () => {
  const up = await upload(alice, multipart([{ filename: '营业执照.pdf', type: 'application/pdf', data: PDF }]));
  assert.equal(up.res.status, 201, JSON.stringify(up.body));
  assert.match(up.body.id, /^[0-9a-f]{32}$/);
  assert.equal(up.body.filename, '营业执照.pdf');
  assert.equal(up.body.size, PDF.length);
  assert.equal(up.body.kind, 'pdf');
  assert.equal(up.body.sha256, sha256(PDF));
  assert.equal(up.res.headers.get('location'), `/api/v1/uploads/${up.body.id}`);
  assert.equal(up.res.headers.get('cache-control'), 'no-store');

  const res = await fetch(`${srv.url}/api/v1/uploads/${up.body.id}`, { headers: { cookie: alice.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const disposition = res.headers.get('content-disposition');
  assert.match(disposition, /^attachment;/);
  assert.ok(disposition.includes("filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf"), disposition);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-security-policy'), 'sandbox');
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
});

test('the kind and the extension follow the content, not the name or the declared type', async () => {
  const up = await upload(alice, multipart([{ filename: 'photo.jpg', type: 'text/html', data: PNG }]));
  assert.equal(up.res.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.kind, 'png');
  assert.equal(up.body.filename, 'photo.png');
  const res = await fetch(`${srv.url}/api/v1/uploads/${up.body.id}`, { headers: { cookie: alice.cookie } });
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.match(res.headers.get('content-disposition'), /filename="photo\.png"/);
});

test('a path in the file name is dropped', async () => {
  for (const filename of ['../../etc/passwd.pdf', 'C:\\Users\\张三\\..\\passwd.pdf']) {
    const up = await upload(alice, multipart([{ filename, data: PDF }]));
    assert.equal(up.res.status, 201);
    assert.equal(up.body.filename, 'passwd.pdf', filename);
  }
});

test('the same content uploaded twice gets two ids over one hash', async () => {
  const a = await upload(alice, multipart([{ filename: 'a.pdf', data: PDF }]));
  const b = await upload(bob, multipart([{ filename: 'b.pdf', data: PDF }]));
  assert.equal(a.res.status, 201);
  assert.equal(b.res.status, 201);
  assert.notEqual(a.body.id, b.body.id);
  assert.equal(a.body.sha256, b.body.sha256);
});

test("someone else's upload, an unknown id and a malformed id are all 404; no session is 401", async () => {
  const up = await upload(alice, multipart([{ filename: '身份证.pdf', data: PDF }]));
  assert.equal(up.res.status, 201);
  for (const id of [up.body.id, 'f'.repeat(32), up.body.id.toUpperCase(), 'x']) {
    const res = await fetch(`${srv.url}/api/v1/uploads/${id}`, { headers: { cookie: bob.cookie } });
    assert.equal(res.status, 404, id);
    const body = await res.json();
    assert.equal(body.error.code, 'upload_not_found', id);
  }
  const traversal = await fetch(`${srv.url}/api/v1/uploads/..%2F..%2Fetc%2Fpasswd`, { headers: { cookie: bob.cookie } });
  assert.equal(traversal.status, 404);
  const anonymous = await fetch(`${srv.url}/api/v1/uploads/${up.body.id}`);
  assert.equal(anonymous.status, 401);
  const still = await fetch(`${srv.url}/api/v1/uploads/${up.body.id}`, { headers: { cookie: alice.cookie } });
  assert.equal(still.status, 200, 'the owner still reads it');
});

test('an upload without the CSRF token is 403, without a session 401', async () => {
  const body = multipart([{ filename: 'a.pdf', data: PDF }]);
  const noCsrf = await upload(alice, body, { csrf: false });
  assert.equal(noCsrf.res.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf_token_invalid');
  const noSession = await upload(null, body);
  assert.equal(noSession.res.status, 401);
});

test('a body over the limit is refused with 413 before it is read', async () => {
  const length = 21 * 1024 * 1024;
  const raw = await rawRequest(srv.port,
    `POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nCookie: ${alice.cookie}\r\nX-CSRF-Token: ${alice.csrf}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`);
  assert.match(raw, /^HTTP\/1\.1 413 /);
  assert.match(raw, /body_too_large/);
});

test('a file just over 20 MiB inside the body limit is refused with 413', async () => {
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
  PDF.copy(big, 0);
  const up = await upload(alice, multipart([{ filename: 'big.pdf', data: big }]));
  assert.equal(up.res.status, 413);
  assert.equal(up.body.error.code, 'file_too_large');
});

test('HTML named .pdf, an SVG, a polyglot and an empty file are refused with 400 on field "file"', async () => {
  const cases = [
    ['<!DOCTYPE html><html><script>alert(document.cookie)</script></html>', 'file_type_not_allowed'],
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'file_type_not_allowed'],
    ['%PDF-1.4\n%<html><script>alert(1)</script>\n%%EOF\n', 'file_active_content'],
    ['', 'file_empty'],
  ];
  for (const [content, code] of cases) {
    const up = await upload(alice, multipart([{ filename: 'evil.pdf', type: 'application/pdf', data: content }]));
    assert.equal(up.res.status, 400, content);
    assert.equal(up.body.error.code, code, content);
    assert.equal(up.body.error.field, 'file');
    if (code === 'file_type_not_allowed') assert.equal(up.body.error.message, '仅支持 PDF、JPG、PNG 格式');
  }
});

test('malformed or wrongly shaped multipart bodies are refused with 400', async () => {
  const twoFiles = multipart([{ filename: 'a.pdf', data: PDF }, { filename: 'b.pdf', data: PDF }]);
  const otherName = multipart([{ name: 'attachment', filename: 'a.pdf', data: PDF }]);
  const noFile = multipart([{ name: 'note', data: '说明' }]);
  const cases = [
    [twoFiles, undefined, 'too_many_files'],
    [otherName, undefined, 'unexpected_file'],
    [noFile, undefined, 'file_missing'],
    [multipart([{ filename: 'a.pdf', data: PDF }]).subarray(0, 120), undefined, 'multipart_truncated'],
    [Buffer.from('{"file":"x"}'), 'application/json', 'not_multipart'],
    [multipart([{ filename: 'a.pdf', data: PDF }]), 'multipart/form-data', 'bad_boundary'],
  ];
  for (const [body, contentType, code] of cases) {
    const up = await upload(alice, body, contentType ? { contentType } : {});
    assert.equal(up.res.status, 400, code);
    assert.equal(up.body.error.code, code);
  }
});
