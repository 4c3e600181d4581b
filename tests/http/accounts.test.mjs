// Accounts and sessions over HTTP, against the real binary (SQLite, demo data): registration,
// sign-in, the session cookie, CSRF, sign-out, throttling, and a staff member added with
// the CLI signing in with a TOTP code computed here (RFC 6238 with node:crypto).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const ID = '445102199003071230';
const CREDIT = '91350100M000100Y43';
const AGENT_ID = '445122200002290029';

async function call(method, path, { body, cookie, csrf, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (cookie) h.cookie = cookie;
  if (csrf) h['x-csrf-token'] = csrf;
  const res = await fetch(srv.url + path, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

function sessionCookie(res) {
  const set = res.headers.get('set-cookie');
  assert.ok(set, 'Set-Cookie present');
  const m = set.match(/shenpi_session=([^;]*)/);
  assert.ok(m, set);
  return { header: set, cookie: `shenpi_session=${m[1]}` };
}

async function login(loginName, password, totp) {
  return call('POST', '/api/v1/session', { body: { login: loginName, password, totp } });
}

// RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) from a base32 secret.
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `base32 character ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secretBase32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, '0');
}

test('the TOTP helper matches the RFC 6238 SHA-1 vector', () => {
  // Secret "12345678901234567890"; at 59 s the 8-digit code is 94287082, so 6 digits 287082.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totp(secret, 59), '287082');
  assert.equal(totp(secret, 1111111109), '081804');
});

test('a person registers, signs in, sees the session, and signs out', async () => {
  const reg = await call('POST', '/api/v1/accounts', {
    body: { kind: 'person', name: '张三', id_number: ID, mobile: '13812345678', password: 'correct horse battery' },
  });
  assert.equal(reg.res.status, 201);
  assert.equal(reg.body.kind, 'person');
  assert.equal(reg.body.name, '张三');
  assert.match(reg.body.id, /^[0-9a-f-]{36}$/);
  assert.equal(reg.body.login, '4451**********1230');

  const dup = await call('POST', '/api/v1/accounts', {
    body: { kind: 'person', name: '张三', id_number: ID, mobile: '13812345678', password: 'another long one' },
  });
  assert.equal(dup.res.status, 409);
  assert.equal(dup.body.error.code, 'account_exists');

  const noSession = await call('GET', '/api/v1/session');
  assert.equal(noSession.res.status, 401);

  const signIn = await login(ID, 'correct horse battery');
  assert.equal(signIn.res.status, 200);
  const { header, cookie } = sessionCookie(signIn.res);
  assert.match(header, /HttpOnly/);
  assert.match(header, /SameSite=Lax/);
  assert.match(header, /Path=\//);
  assert.doesNotMatch(header, /Secure/, 'plain HTTP: no Secure flag');
  assert.match(signIn.body.csrf_token, /^[0-9a-f]{64}$/);
  assert.equal(signIn.body.account.name, '张三');
  assert.equal(signIn.body.account.login, '4451**********1230');
  assert.equal(signIn.res.headers.get('cache-control'), 'no-store');

  const who = await call('GET', '/api/v1/session', { cookie });
  assert.equal(who.res.status, 200);
  assert.equal(who.body.account.id, reg.body.id);
  assert.equal(who.body.account.kind, 'person');
  assert.deepEqual(who.body.account.roles, []);
  assert.equal(who.body.csrf_token, signIn.body.csrf_token);

  const sessions = await call('GET', '/api/v1/account/sessions', { cookie });
  assert.equal(sessions.res.status, 200);
  assert.equal(sessions.body.sessions.filter((s) => s.current).length, 1);

  const noCsrf = await call('DELETE', '/api/v1/session', { cookie });
  assert.equal(noCsrf.res.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf_token_invalid');
  const wrongCsrf = await call('DELETE', '/api/v1/session', { cookie, csrf: '0'.repeat(64) });
  assert.equal(wrongCsrf.res.status, 403);
  assert.equal((await call('GET', '/api/v1/session', { cookie })).res.status, 200, 'still signed in');

  const out = await call('DELETE', '/api/v1/session', { cookie, csrf: signIn.body.csrf_token });
  assert.equal(out.res.status, 204);
  assert.match(out.res.headers.get('set-cookie'), /shenpi_session=;.*Max-Age=0/);
  assert.equal((await call('GET', '/api/v1/session', { cookie })).res.status, 401);
});

test('an organisation registers with its agent and signs in with the credit code', async () => {
  const reg = await call('POST', '/api/v1/accounts', {
    body: {
      kind: 'organisation', name: '潮州市示例有限公司', credit_code: CREDIT, representative: '李四',
      agent: { name: '王五', id_number: AGENT_ID }, mobile: '13912345678', password: 'organisation secret',
    },
  });
  assert.equal(reg.res.status, 201, JSON.stringify(reg.body));
  assert.equal(reg.body.kind, 'organisation');
  assert.equal(reg.body.login, '9135**********0Y43');
  const signIn = await login(CREDIT.toLowerCase(), 'organisation secret');
  assert.equal(signIn.res.status, 200);
  assert.equal(signIn.body.account.kind, 'organisation');
});

test('each bad field is named in the error', async () => {
  const person = { kind: 'person', name: '赵六', id_number: '445102199003071231', mobile: '13812345678', password: 'correct horse battery' };
  const cases = [
    [{ ...person }, 'id_number'],
    [{ ...person, id_number: '44510219900307123' }, 'id_number'],
    [{ ...person, id_number: AGENT_ID, name: '' }, 'name'],
    [{ ...person, id_number: AGENT_ID, mobile: '12' }, 'mobile'],
    [{ ...person, id_number: AGENT_ID, password: 'password' }, 'password'],
    [{ ...person, id_number: AGENT_ID, password: 'short' }, 'password'],
    [{ ...person, id_number: 445102199003071230 }, 'id_number'],
    [{ kind: 'organisation', name: '某公司', credit_code: '91350100M000100Y44', representative: '李四', agent: { name: '王五', id_number: AGENT_ID }, mobile: '13912345678', password: 'organisation secret' }, 'credit_code'],
    [{ kind: 'organisation', name: '某公司', credit_code: '91440101MA59AAAA6X', representative: '李四', agent: { name: '王五', id_number: '445122200002290028' }, mobile: '13912345678', password: 'organisation secret' }, null],
    [{ kind: 'robot' }, 'kind'],
  ];
  for (const [body, field] of cases) {
    const r = await call('POST', '/api/v1/accounts', { body });
    assert.equal(r.res.status, 400, JSON.stringify(body));
    if (field) assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  const notJson = await fetch(srv.url + '/api/v1/accounts', { method: 'POST', body: '{nope' });
  assert.equal(notJson.status, 400);
  const huge = await fetch(srv.url + '/api/v1/accounts', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(20000) }) });
  assert.equal(huge.status, 413);
});

test('wrong credentials get one answer; five failures throttle with Retry-After', async () => {
  const reg = await call('POST', '/api/v1/accounts', {
    body: { kind: 'person', name: '钱七', id_number: AGENT_ID, mobile: '13712345678', password: 'the right passphrase' },
  });
  assert.equal(reg.res.status, 201);
  const unknown = await login('445102198001011239', 'whatever it is');
  assert.equal(unknown.res.status, 401);
  const messages = new Set([unknown.body.error.message]);
  for (let i = 0; i < 5; i++) {
    const r = await login(AGENT_ID, 'wrong passphrase');
    assert.equal(r.res.status, 401, `failure ${i + 1}`);
    assert.equal(r.body.error.code, 'login_failed');
    messages.add(r.body.error.message);
  }
  assert.equal(messages.size, 1, 'one message for every cause');
  const blocked = await login(AGENT_ID, 'the right passphrase');
  assert.equal(blocked.res.status, 429);
  const retry = Number(blocked.res.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 60, `Retry-After ${retry}`);
});

test('staff added with the CLI sign in with password and TOTP, and a code works once', async () => {
  const out = execFileSync(BIN, ['staff', 'add', '--username', 'lisi', '--name', '李四', '--dept', '445100-SCJGJ',
    '--role', 'clerk', '--role', 'reviewer', '--password-stdin', '--data', srv.dataDir],
  { input: 'staff member passphrase\n' }).toString();
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 1, out);
  const m = lines[0].match(/^totp-secret: ([A-Z2-7]+)$/);
  assert.ok(m, out);
  const secret = m[1];

  const noCode = await login('lisi', 'staff member passphrase');
  assert.equal(noCode.res.status, 401);
  const code = totp(secret);
  const signIn = await login('LiSi', 'staff member passphrase', code);
  assert.equal(signIn.res.status, 200, JSON.stringify(signIn.body));
  assert.equal(signIn.body.account.kind, 'staff');
  assert.equal(signIn.body.account.username, 'lisi');
  assert.deepEqual(signIn.body.account.roles.map((r) => r.role).sort(), ['clerk', 'reviewer']);
  assert.equal(signIn.body.account.trained, false, 'no training record yet');
  const replay = await login('lisi', 'staff member passphrase', code);
  assert.equal(replay.res.status, 401, 'a used code is refused');

  execFileSync(BIN, ['staff', 'train', '--username', 'lisi', '--course', '上岗培训', '--valid-until', '2099-12-31',
    '--data', srv.dataDir]);
  const { cookie } = sessionCookie(signIn.res);
  const who = await call('GET', '/api/v1/session', { cookie });
  assert.equal(who.body.account.trained, true);
  assert.equal(who.body.account.training_valid_until, '2099-12-31');

  let refused = null;
  try {
    execFileSync(BIN, ['staff', 'add', '--username', 'boss', '--name', '王', '--dept', '445100-SCJGJ', '--role', 'dept_admin',
      '--role', 'approver', '--password-stdin', '--data', srv.dataDir], { input: 'boss passphrase long\n', stdio: 'pipe' });
  } catch (e) { refused = e; }
  assert.ok(refused, 'separation of duties refused');
  assert.notEqual(refused.status, 0);
});

// The subset of JSON Schema the OpenAPI document uses ($ref, type, required, properties,
// items, enum), as in openapi.test.mjs.
function validate(doc, schema, value, path = '$') {
  if (schema.$ref) return validate(doc, schema.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], doc), value, path);
  const errors = [];
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type) {
    const ok = type === 'integer' ? Number.isInteger(value) : type === 'number' ? typeof value === 'number' : actual === type;
    if (!ok) return [`${path}: expected ${type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (type === 'object' || schema.properties) {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${path}: missing ${r}`);
    for (const [k, s] of Object.entries(schema.properties || {})) {
      if (k in value) errors.push(...validate(doc, s, value[k], `${path}.${k}`));
    }
  }
  if (type === 'array' && schema.items) value.forEach((v, i) => errors.push(...validate(doc, schema.items, v, `${path}[${i}]`)));
  return errors;
}

test('account and session responses match the OpenAPI document', async () => {
  const doc = await (await fetch(`${srv.url}/api/v1/openapi.json`)).json();
  const schema = (path, method, status) => doc.paths[path][method].responses[status].content['application/json'].schema;
  const reg = await call('POST', '/api/v1/accounts', {
    body: { kind: 'person', name: '孙八', id_number: '44510219800101123x', mobile: '13612345678', password: 'documented passphrase' },
  });
  assert.equal(reg.res.status, 201, JSON.stringify(reg.body));
  assert.deepEqual(validate(doc, schema('/api/v1/accounts', 'post', '201'), reg.body), []);
  const signIn = await login('44510219800101123X', 'documented passphrase');
  assert.deepEqual(validate(doc, schema('/api/v1/session', 'post', '200'), signIn.body), []);
  const { cookie } = sessionCookie(signIn.res);
  const who = await call('GET', '/api/v1/session', { cookie });
  assert.deepEqual(validate(doc, schema('/api/v1/session', 'get', '200'), who.body), []);
  const sessions = await call('GET', '/api/v1/account/sessions', { cookie });
  assert.deepEqual(validate(doc, schema('/api/v1/account/sessions', 'get', '200'), sessions.body), []);
  const unauth = await call('GET', '/api/v1/session');
  assert.deepEqual(validate(doc, { $ref: '#/components/schemas/Error' }, unauth.body), []);
  for (const path of ['/api/v1/accounts', '/api/v1/session', '/api/v1/account/sessions', '/api/v1/account/sessions/{id}', '/api/v1/account/password']) {
    assert.ok(doc.paths[path], `${path} documented`);
  }
});
