// The authorisation matrix (issue 3, "Authorisation"): every route the real binary
// registers, read from `shenpi routes`, is called anonymously and as every role in two
// departments, every city-wide role, an applicant and an untrained staff member. Each
// route must be classified below: a route the matrix does not know fails the test, so a
// new route cannot ship without its row.
//
// Expectations come from the permission table of src/app/authorization.cpp, restated here
// on purpose (a change to that table must be a deliberate change to this test too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';

const SCJGJ = '445100-SCJGJ';  // 潮州市市场监督管理局: the department under test
const ZRZYJ = '445100-ZRZYJ';  // 潮州市自然资源局: "another department"
const DEPT_ROLES = ['clerk', 'reviewer', 'approver', 'business_lead', 'security_officer', 'dept_admin'];
const CITY_ROLES = {
  centre_admin: '445100-XZFWZX', catalogue_admin: '445100-BB', tech_admin: '445100-XXB',
  supervisor: '445100-JCJ', leading_group: '445100-LDXZ',
};
// Which roles carry which permission (only the permissions routes require today).
const HOLDERS = {
  staff_manage: ['dept_admin', 'centre_admin', 'tech_admin'],
  staff_train: ['tech_admin'],
  audit_read: ['security_officer', 'centre_admin', 'supervisor'],
};

let srv;
const principals = [];  // {label, kind: 'staff'|'applicant', role, dept, trained, session}
let applicantLogin;
before(async () => {
  srv = await startServer();
  for (const dept of [SCJGJ, ZRZYJ]) {
    for (const role of DEPT_ROLES) principals.push(staff(`${role}_${dept.slice(7).toLowerCase()}`, dept, role));
  }
  for (const [role, dept] of Object.entries(CITY_ROLES)) principals.push(staff(role, dept, role));
  principals.push(staff('untrained_officer', SCJGJ, 'security_officer', { trained: false }));
  applicantLogin = await registerApplicant(citizenId('44510219900307', '123'), 'applicant passphrase');
  principals.push({ label: 'applicant', kind: 'applicant', login: applicantLogin, password: 'applicant passphrase' });
  for (const p of principals) p.session = await signIn(p);
});
after(async () => { await srv.stop(); });

// ---- identities ------------------------------------------------------------------------

function citizenId(first14, seq3) {
  const body = first14 + seq3;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * weights[i];
  return body + '10X98765432'[sum % 11];
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secretBase32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function staff(username, dept, role, { trained = true } = {}) {
  const password = `${username} passphrase long`;
  const out = execFileSync(BIN, ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept,
    '--role', role, '--password-stdin', '--data', srv.dataDir], { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  if (trained) {
    execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
      '--data', srv.dataDir]);
  }
  return { label: `${role}@${dept}${trained ? '' : ' (untrained)'}`, kind: 'staff', role, dept, trained,
    login: username, password, secret };
}

async function registerApplicant(idNumber, password) {
  const res = await fetch(`${srv.url}/api/v1/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'person', name: '申请人', id_number: idNumber, mobile: '13812345678', password }),
  });
  assert.equal(res.status, 201, await res.text());
  return idNumber;
}

// A TOTP step works once per account; every principal signs in once, applicants (no TOTP)
// as often as a test needs a spare session.
async function signIn({ login, password, secret }) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password, totp: secret ? totp(secret) : '' }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `${login}: ${JSON.stringify(body)}`);
  const cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
  return { cookie, csrf: body.csrf_token };
}

// ---- requests --------------------------------------------------------------------------

const isApi = (pattern) => pattern.startsWith('/api/');

/** Calls `path` as `session` (null: anonymous) the way its client would: API calls with
 * JSON and the X-CSRF-Token header, page forms urlencoded with the csrf_token field. */
async function call(method, path, session, { json, form } = {}) {
  const headers = { accept: isApi(path) ? 'application/json' : 'text/html' };
  let body;
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form || (method === 'POST' && !isApi(path))) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const params = new URLSearchParams();
    if (session) params.append('csrf_token', session.csrf);
    for (const [k, v] of form || []) params.append(k, v);
    body = params.toString();
  }
  const res = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  await res.arrayBuffer();
  return res;
}

const ok = (status) => status >= 200 && status < 400;
const toTraining = (res) => res.status === 303 && res.headers.get('location') === '/training';
const toLogin = (res) => res.status === 303 && /^\/login/.test(res.headers.get('location') || '');

// ---- the matrix ------------------------------------------------------------------------

let uniq = 0;
// Permission routes: how to call them as a principal, and whether the permission is
// checked in a department (then holders elsewhere get 403).
const PERMISSION_ROUTES = {
  'GET /admin/staff': { path: () => `/admin/staff?dept=${SCJGJ}`, scoped: true },
  'POST /admin/staff': {
    path: () => '/admin/staff', scoped: true,
    form: () => [['username', `made${++uniq}`], ['name', '新员工'], ['department', SCJGJ], ['role', 'clerk'], ['password', '']],
  },
  'GET /admin/training': { path: () => '/admin/training', scoped: false },
  'POST /admin/training': {
    path: () => '/admin/training', scoped: false,
    form: () => [['username', 'clerk_scjgj'], ['course', '上岗培训'], ['valid_until', '2099-12-31']],
  },
  'GET /admin/audit': { path: () => `/admin/audit?dept=${SCJGJ}`, scoped: true },
  'GET /admin/audit/export.csv': { path: () => `/admin/audit/export.csv?dept=${SCJGJ}`, scoped: true },
  // Verifying the chain reports its integrity, not entries: any audit reader may run it.
  'POST /admin/audit/verify': { path: () => '/admin/audit/verify', scoped: false },
};

// Signed-in routes: a path for the applicant, who must succeed, and whether another
// principal's object in the path must stay hidden (404).
let spare;  // applicant sessions to end, and their ids
let samples;
const SIGNED_IN_ROUTES = {
  'GET /api/v1/session': {},
  'DELETE /api/v1/session': { fresh: true },
  'GET /api/v1/account/sessions': {},
  'DELETE /api/v1/account/sessions/{id}': { path: () => `/api/v1/account/sessions/${spare.pop()}`, others404: true },
  'POST /api/v1/account/password': {
    last: true, json: () => ({ current_password: 'applicant passphrase', password: 'applicant passphrase two' }),
  },
  // Staff read their own training status, trained or not; applicants have none.
  'GET /training': { as: 'untrained' },
  // Signing out without a session just goes home.
  'POST /logout': { fresh: true, anon: (res) => res.status === 303 },
  'GET /account': {},
  'POST /account/password': {
    last: true,
    form: () => [['current_password', 'applicant passphrase two'], ['password', 'applicant passphrase three'],
      ['password_confirm', 'applicant passphrase three']],
  },
  'POST /account/sessions/{id}/end': { path: () => `/account/sessions/${spare.pop()}/end`, others404: true },
};

// Public routes: anonymous callers are never refused for want of a sign-in or a token.
const PUBLIC_POSTS = {
  'POST /api/v1/session': { json: () => ({ login: 'nobody', password: 'wrong password', totp: '000000' }), expect: [401] },
  'POST /api/v1/session/certificate': { json: () => ({ password: 'wrong password' }), expect: [401] },
  'POST /api/v1/accounts': { json: () => ({ kind: 'person' }), expect: [400] },
  // The page forms carry the double-submit token of the form page, as a browser sends it.
  'POST /register': { formPage: '/register', form: () => [['kind', 'person']], expect: [400] },
  'POST /login': {
    formPage: '/login', form: () => [['login', 'nobody'], ['password', 'wrong password'], ['totp', '000000']],
    expect: [401, 200, 400],
  },
};

// The anonymous double-submit CSRF pair of a page form: its shenpi_csrf cookie and field.
async function formToken(path) {
  const res = await fetch(srv.url + path, { headers: { accept: 'text/html' } });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('shenpi_csrf=')).split(';')[0];
  const csrf = (await res.text()).match(/name="csrf_token" value="([^"]*)"/)[1];
  return { cookie, csrf };
}

function fillPublic(pattern) {
  return pattern
    .replace('{code}', pattern.startsWith('/bundles') || pattern.startsWith('/api/v1/bundles') ? samples.bundle
      : pattern.startsWith('/departments') ? SCJGJ : samples.item)
    .replace('{index}', String(samples.materialIndex))
    .replace('{name...}', 'site.css');
}

async function listRoutes() {
  const out = execFileSync(BIN, ['routes', '--data', srv.dataDir]).toString();
  return out.trim().split('\n').map((line) => {
    const [method, pattern, access] = line.split(' ');
    return { method, pattern, access, key: `${method} ${pattern}` };
  });
}

test('every registered route is classified by the matrix', async () => {
  const routes = await listRoutes();
  assert.ok(routes.length > 30, 'shenpi routes lists the server routes');
  for (const r of routes) {
    assert.notEqual(r.access, 'unclassified', `${r.key}: its registration sets no RouteOptions::access`);
    if (r.access === 'public') {
      if (r.method !== 'GET') assert.ok(PUBLIC_POSTS[r.key], `${r.key}: public write missing from the matrix`);
    } else if (r.access === 'signed_in') {
      assert.ok(SIGNED_IN_ROUTES[r.key], `${r.key}: signed-in route missing from the matrix`);
    } else {
      assert.ok(HOLDERS[r.access], `${r.key}: permission ${r.access} missing from the matrix`);
      assert.ok(PERMISSION_ROUTES[r.key], `${r.key}: permission route missing from the matrix`);
    }
  }
});

test('public routes answer anonymous callers', async () => {
  const items = await (await fetch(`${srv.url}/api/v1/items?page_size=50`)).json();
  const bundles = await (await fetch(`${srv.url}/api/v1/bundles`)).json();
  samples = { item: items.items[0].code, bundle: bundles.bundles[0].code, materialIndex: 0 };
  for (const it of items.items) {
    const detail = await (await fetch(`${srv.url}/api/v1/items/${it.code}`)).json();
    const idx = detail.materials.findIndex((m) => m.template_url);
    if (idx >= 0) { samples.item = it.code; samples.materialIndex = idx; break; }
  }
  for (const r of (await listRoutes()).filter((x) => x.access === 'public')) {
    if (r.method === 'GET') {
      const res = await call('GET', fillPublic(r.pattern), null);
      assert.equal(res.status, 200, `${r.key} anonymous`);
    } else {
      const spec = PUBLIC_POSTS[r.key];
      const res = await call(r.method, r.pattern, spec.formPage ? await formToken(spec.formPage) : null,
        { json: spec.json?.(), form: spec.form?.() });
      assert.ok(spec.expect.includes(res.status), `${r.key} anonymous: ${res.status}`);
    }
  }
});

test('signed-in routes refuse anonymous callers and serve the applicant', async () => {
  const applicant = principals.find((p) => p.kind === 'applicant');
  spare = [];
  for (let i = 0; i < 2; i++) {
    const s = await signIn(applicant);
    const list = await (await fetch(`${srv.url}/api/v1/account/sessions`, { headers: { cookie: s.cookie } })).json();
    spare.push(list.sessions.find((x) => x.current).id);
  }
  const routes = (await listRoutes()).filter((x) => x.access === 'signed_in');
  routes.sort((a, b) => Number(!!SIGNED_IN_ROUTES[a.key].last) - Number(!!SIGNED_IN_ROUTES[b.key].last));
  const clerk = principals.find((p) => p.role === 'clerk' && p.dept === SCJGJ);
  for (const r of routes) {
    const spec = SIGNED_IN_ROUTES[r.key];
    const path = spec.path ? spec.path() : r.pattern;
    const anon = await call(r.method, path, null, { json: spec.json?.() });
    if (spec.anon) assert.ok(spec.anon(anon), `${r.key} anonymous: ${anon.status}`);
    else if (isApi(r.pattern)) assert.equal(anon.status, 401, `${r.key} anonymous`);
    else assert.ok(toLogin(anon), `${r.key} anonymous: ${anon.status} ${anon.headers.get('location')}`);
    if (spec.others404) {
      // Another principal naming the applicant's session learns nothing about it.
      const other = await call(r.method, path, clerk.session);
      assert.equal(other.status, 404, `${r.key} as ${clerk.label} on the applicant's session`);
    }
    const actor = spec.as === 'untrained' ? principals.find((p) => p.kind === 'staff' && !p.trained) : applicant;
    const session = spec.fresh ? await signIn(applicant) : actor.session;
    const res = await call(r.method, path, session, { json: spec.json?.(), form: spec.form?.() });
    assert.ok(ok(res.status), `${r.key} as ${actor.label}: ${res.status}`);
  }
});

test('permission routes: only holders in scope get through', async () => {
  const routes = (await listRoutes()).filter((x) => HOLDERS[x.access]);
  const failures = [];
  for (const r of routes) {
    const spec = PERMISSION_ROUTES[r.key];
    const anon = await call(r.method, spec.path(), null, { form: spec.form?.() });
    if (!toLogin(anon)) failures.push(`${r.key} anonymous: ${anon.status}`);
    for (const p of principals) {
      const res = await call(r.method, spec.path(), p.session, { form: spec.form?.() });
      const holds = p.kind === 'staff' && HOLDERS[r.access].includes(p.role);
      const inScope = !spec.scoped || Object.hasOwn(CITY_ROLES, p.role) || p.dept === SCJGJ;
      let want;
      let good;
      if (p.kind === 'staff' && !p.trained) {
        want = '403 or redirect to /training';
        good = res.status === 403 || toTraining(res);
      } else if (holds && inScope) {
        want = '2xx/3xx';
        good = ok(res.status) && !toLogin(res) && !toTraining(res);
      } else {
        want = '403 (or 404)';
        good = res.status === 403 || res.status === 404;
      }
      if (!good) failures.push(`${r.key} as ${p.label}: got ${res.status}, want ${want}`);
    }
  }
  assert.deepEqual(failures, []);
});
