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
import { FOOD_LICENCE, foodLicenceData, uploadPdf } from './case_helpers.mjs';

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
  case_read: ['clerk', 'reviewer', 'approver', 'business_lead', 'centre_admin', 'supervisor', 'leading_group'],
  case_accept: ['clerk'],
  calendar_edit: ['centre_admin'],
  supervise: ['supervisor', 'leading_group'],
};

let srv;
const principals = [];  // {label, kind: 'staff'|'applicant', role, dept, trained, session}
let applicantLogin;
let other;  // a second applicant, who must not see the first one's case
let caseNumber;  // a case of the applicant for 食品经营许可 (市场监督管理局)
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
  const otherLogin = await registerApplicant(citizenId('44512219850615', '021'), 'other applicant passphrase');
  other = { label: 'another applicant', kind: 'applicant', login: otherLogin, password: 'other applicant passphrase' };
  other.session = await signIn(other);
  // The applicant files a case (on a spare session: the matrix ends the main one's siblings).
  const filer = await signIn(principals.find((p) => p.kind === 'applicant'));
  const upload = await uploadPdf(srv, filer);
  const filed = await fetch(`${srv.url}/api/v1/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: filer.cookie, 'x-csrf-token': filer.csrf },
    body: JSON.stringify({ item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true }),
  });
  const body = await filed.json();
  assert.equal(filed.status, 201, JSON.stringify(body));
  caseNumber = body.number;
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
// A status that says the caller got past authorisation (a bad or incomplete request
// body may still be refused, but not for who the caller is).
const authorised = (res) => ![401, 403, 404].includes(res.status) && !toLogin(res) && !toTraining(res);

/** Calls `path` as `session` (null: anonymous) the way its client would: API calls with
 * JSON and the X-CSRF-Token header, page forms urlencoded with the csrf_token field. */
async function call(method, path, session, { json, form, ifMatch } = {}) {
  const headers = { accept: isApi(path) ? 'application/json' : 'text/html' };
  if (ifMatch) headers['if-match'] = ifMatch;
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
  'GET /api/v1/events': { path: () => '/api/v1/events', scoped: false },
  'POST /admin/staff/{username}/certificate': {
    path: () => '/admin/staff/clerk_scjgj/certificate', scoped: true,
    form: () => [['cert_subject', `CN=员工clerk_scjgj,OU=${++uniq},O=潮州市市场监督管理局`]],
  },
  // Staff queues and the window: every holder works in their own department.
  'GET /work': { path: () => '/work', scoped: false },
  'GET /work/cases/{number}': { path: () => `/work/cases/${caseNumber}`, scoped: true },
  // An empty action is refused as a bad request, but only after the permission check.
  'POST /work/cases/{number}/actions': { path: () => `/work/cases/${caseNumber}/actions`, scoped: true, authOnly: true },
  'GET /work/window': { path: () => '/work/window', scoped: false },
  'POST /work/window': { path: () => '/work/window', scoped: false, authOnly: true },
  // A window clerk files only for their own department's items.
  'POST /work/window/{item}': { path: () => `/work/window/${FOOD_LICENCE}`, scoped: true, authOnly: true },
  // Window registration: clerks and, through staff_manage, account administrators.
  'GET /work/register': { path: () => '/work/register', scoped: false, holders: ['clerk', ...HOLDERS.staff_manage] },
  'POST /work/register': {
    path: () => '/work/register', scoped: false, authOnly: true, holders: ['clerk', ...HOLDERS.staff_manage],
    form: () => [['kind', 'person']],
  },
  'GET /admin/calendar': { path: () => '/admin/calendar', scoped: false },
  // Complaint handling: the bureau (supervise) and the centre, which sees those not about a person.
  'GET /supervision/complaints': {
    path: () => '/supervision/complaints', scoped: false, holders: [...HOLDERS.supervise, 'centre_admin'],
  },
  'POST /admin/calendar': { path: () => '/admin/calendar', scoped: false, authOnly: true },
  // Performance figures: the bureau, the leading group and the centre see the city, a
  // business lead their own department (an empty list elsewhere); the monthly report is for
  // the city-wide readers only.
  'GET /api/v1/performance': {
    path: () => '/api/v1/performance?from=2026-11-01&to=2026-11-30', scoped: false,
    holders: [...HOLDERS.supervise, 'centre_admin', 'business_lead'],
  },
  'GET /supervision/performance': {
    path: () => '/supervision/performance?from=2026-11-01&to=2026-11-30', scoped: false,
    holders: [...HOLDERS.supervise, 'centre_admin', 'business_lead'],
  },
  'GET /supervision/performance/report.pdf': {
    path: () => '/supervision/performance/report.pdf?month=2026-11', scoped: false,
    holders: [...HOLDERS.supervise, 'centre_admin'],
  },  // The supervision dashboard and its exports: the bureau and the centre only.
  'GET /supervision': { path: () => '/supervision', scoped: false, holders: [...HOLDERS.supervise, 'centre_admin'] },
  'GET /supervision/export.csv': {
    path: () => '/supervision/export.csv', scoped: false, holders: [...HOLDERS.supervise, 'centre_admin'],
  },
  'GET /supervision/export.xlsx': {
    path: () => '/supervision/export.xlsx', scoped: false, holders: [...HOLDERS.supervise, 'centre_admin'],
  },
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
  // `changes`: the applicant's password from then on (later tests sign in again).
  'POST /api/v1/account/password': {
    last: true, changes: 'applicant passphrase two', json: () => ({ current_password: 'applicant passphrase', password: 'applicant passphrase two' }),
  },
  // Staff read their own training status, trained or not; applicants have none.
  'GET /training': { as: 'untrained' },
  // Signing out without a session just goes home.
  'POST /logout': { fresh: true, anon: (res) => res.status === 303 },
  'GET /account': {},
  'POST /account/password': {
    last: true, changes: 'applicant passphrase three',
    form: () => [['current_password', 'applicant passphrase two'], ['password', 'applicant passphrase three'],
      ['password_confirm', 'applicant passphrase three']],
  },
  'POST /account/sessions/{id}/end': { path: () => `/account/sessions/${spare.pop()}/end`, others404: true },
  'GET /account/notifications': {},
  'GET /inbox': {},
  'GET /api/v1/inbox': {},
  'GET /my/cases': {},
  // Without ?mine=1 the list is a department's (staff only): the applicant asks for theirs.
  'GET /api/v1/cases': { path: () => '/api/v1/cases?mine=1' },
  'GET /my/cases/{number}': { path: () => `/my/cases/${caseNumber}` },
  'GET /api/v1/cases/{number}': { path: () => `/api/v1/cases/${caseNumber}` },
  'GET /api/v1/cases/{number}/application.pdf': { path: () => `/api/v1/cases/${caseNumber}/application.pdf` },
  'GET /apply/{item}': { path: () => `/apply/${FOOD_LICENCE}` },
  'GET /apply/bundle/{code}': { path: () => `/apply/bundle/${samples.bundle}` },
  // Writes whose success for their users the case, upload, inbox and e-mail tests prove:
  // here they must refuse anonymous callers and hide other applicants' cases.
  'POST /account/notifications': { elsewhere: 'email.test.mjs' },
  'POST /api/v1/inbox/{id}/read': { elsewhere: 'email.test.mjs' },
  'POST /inbox/{id}/read': { elsewhere: 'email.test.mjs' },
  'POST /api/v1/uploads': { elsewhere: 'uploads.test.mjs' },
  'GET /api/v1/uploads/{id}': { elsewhere: 'uploads.test.mjs' },
  'POST /api/v1/applications': { elsewhere: 'cases.test.mjs' },
  'POST /apply/{item}': { elsewhere: 'case_pages.test.mjs' },
  'POST /apply/bundle/{code}': { elsewhere: 'bundle.test.mjs' },
  'POST /api/v1/cases/{number}/actions': { elsewhere: 'cases.test.mjs' },
  'PUT /api/v1/cases/{number}/draft': { elsewhere: 'cases.test.mjs' },
  'POST /my/cases/{number}/actions': { elsewhere: 'case_pages.test.mjs' },
  'POST /my/cases/{number}/draft': { elsewhere: 'case_pages.test.mjs' },
  'GET /api/v1/cases/{number}/documents/{file}': { elsewhere: 'cases.test.mjs (a decided case)' },
  // Staff work lists: applicants have none (403); staff are served.
  'GET /api/v1/tasks': { as: 'clerk' },
  // Timeliness warnings: the use case scopes them (city-wide or the reader's departments)
  // and refuses readers without case_read, applicants included.
  'GET /api/v1/supervision/warnings': { as: 'clerk' },
  'GET /supervision/warnings': { as: 'clerk' },
  // Explaining (the department's business lead or administrator) and closing (the centre,
  // the bureau) a warning: proven in warning_handling.test.mjs.
  'POST /api/v1/supervision/warnings/{id}/acknowledge': { elsewhere: 'warning_handling.test.mjs' },
  'POST /api/v1/supervision/warnings/{id}/close': { elsewhere: 'warning_handling.test.mjs' },
  'POST /supervision/warnings/{id}/acknowledge': { elsewhere: 'warning_handling.test.mjs' },
  'POST /supervision/warnings/{id}/close': { elsewhere: 'warning_handling.test.mjs' },
  // Complaints and ratings (complaints.test.mjs and e2e/complaints.test.mjs prove the rest).
  'GET /api/v1/complaints': {},
  'GET /my/complaints': {},
  'GET /api/v1/ratings/follow-ups': {},
  'GET /work/follow-ups': {},
  'GET /api/v1/cases/{number}/rating': { path: () => `/api/v1/cases/${caseNumber}/rating` },
  'GET /my/cases/{number}/rating': { path: () => `/my/cases/${caseNumber}/rating` },
  'GET /api/v1/complaints/{number}': { elsewhere: 'complaints.test.mjs' },
  'GET /complaints/{number}': { elsewhere: 'e2e/complaints.test.mjs' },
  'POST /api/v1/cases/{number}/rating': { elsewhere: 'complaints.test.mjs' },
  'POST /my/cases/{number}/rating': { elsewhere: 'e2e/complaints.test.mjs' },
  'POST /api/v1/ratings/{id}/follow-up': { elsewhere: 'complaints.test.mjs' },
  'GET /work/follow-ups/{id}': { elsewhere: 'e2e/complaints.test.mjs' },
  'POST /work/follow-ups/{id}': { elsewhere: 'e2e/complaints.test.mjs' },  // Rectification notices: the use case scopes the list (city-wide or the reader's
  // departments) and refuses readers without case_read; issuing (centre, bureau) and
  // answering (the department's business lead) are proven in supervision_dashboard.test.mjs.
  'GET /api/v1/supervision/notices': { as: 'clerk' },
  'GET /supervision/notices': { as: 'clerk' },
  'POST /api/v1/supervision/notices': { elsewhere: 'supervision_dashboard.test.mjs' },
  'POST /supervision/notices': { elsewhere: 'supervision_dashboard.test.mjs' },
  'GET /supervision/notices/{id}': { elsewhere: 'supervision_dashboard.test.mjs' },
  'POST /api/v1/supervision/notices/{id}/reply': { elsewhere: 'supervision_dashboard.test.mjs' },
  'POST /supervision/notices/{id}/reply': { elsewhere: 'supervision_dashboard.test.mjs' },
};

// Public routes: anonymous callers are never refused for want of a sign-in or a token.
const PUBLIC_POSTS = {
  'POST /api/v1/session': { json: () => ({ login: 'nobody', password: 'wrong password', totp: '000000' }), expect: [401] },
  'POST /api/v1/session/certificate': { json: () => ({ password: 'wrong password' }), expect: [401] },
  'POST /api/v1/accounts': { json: () => ({ kind: 'person' }), expect: [400] },
  // The page forms carry the double-submit token of the form page, as a browser sends it.
  'POST /register': { formPage: '/register', form: () => [['kind', 'person']], expect: [400] },
  // Complaints: anyone may file and follow one; what they get wrong is a 400, an unknown
  // complaint or code a 404.
  'POST /api/v1/complaints': { json: () => ({}), expect: [400] },
  'POST /api/v1/complaints/track': { json: () => ({ number: 'TS2000010100001', tracking_code: 'AAAAAAAAAA' }), expect: [404] },
  'POST /api/v1/complaints/{number}/actions': { json: () => ({}), expect: [400] },
  'POST /complaints': { formPage: '/complaints/new', form: () => [['subject', 'case']], expect: [400] },
  'POST /complaints/track': {
    formPage: '/complaints/track', form: () => [['number', 'TS2000010100001'], ['tracking_code', 'AAAAAAAAAA']], expect: [404],
  },
  'POST /complaints/{number}/actions': { formPage: '/complaints/track', form: () => [], expect: [400] },
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

// Public reads that answer only with their query parameters (the working-day calendar).
const PUBLIC_QUERIES = {
  '/api/v1/calendar/add': '?from=2026-01-05&days=10',
  '/api/v1/calendar/between': '?from=2026-01-05&to=2026-02-05',
};

function fillPublic(pattern) {
  return pattern
    .replace('{year}', '2026')
    .replace('{code}', pattern.startsWith('/bundles') || pattern.startsWith('/api/v1/bundles') ? samples.bundle
      : pattern.startsWith('/departments') ? SCJGJ : samples.item)
    .replace('{index}', String(samples.materialIndex))
    .replace('{name...}', 'site.css') + (PUBLIC_QUERIES[pattern] || '');
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
      // A verification code that names no document is answered, not refused: 404.
      const want = r.pattern.includes('/verify/{code}') ? [200, 404] : [200];
      assert.ok(want.includes(res.status), `${r.key} anonymous: ${res.status}`);
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
  const elsewhere = routes.filter((r) => SIGNED_IN_ROUTES[r.key].elsewhere);
  assert.ok(elsewhere.length < routes.length / 2, 'most signed-in routes are exercised here');
  const clerk = principals.find((p) => p.role === 'clerk' && p.dept === SCJGJ);
  for (const r of routes) {
    const spec = SIGNED_IN_ROUTES[r.key];
    if (spec.elsewhere) continue;  // anonymous and other-applicant checks below
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
    const actor = spec.as === 'untrained' ? principals.find((p) => p.kind === 'staff' && !p.trained)
      : spec.as === 'clerk' ? clerk : applicant;
    const session = spec.fresh ? await signIn(applicant) : actor.session;
    const res = await call(r.method, path, session, { json: spec.json?.(), form: spec.form?.() });
    assert.ok(ok(res.status), `${r.key} as ${actor.label}: ${res.status}`);
    if (spec.changes) applicant.password = spec.changes;
  }
});

test('permission routes: only holders in scope get through', async () => {
  const routes = (await listRoutes()).filter((x) => HOLDERS[x.access]);
  const failures = [];
  for (const r of routes) {
    const spec = PERMISSION_ROUTES[r.key];
    const anon = await call(r.method, spec.path(), null, { form: spec.form?.() });
    if (isApi(r.pattern) ? anon.status !== 401 : !toLogin(anon)) failures.push(`${r.key} anonymous: ${anon.status}`);
    for (const p of principals) {
      const res = await call(r.method, spec.path(), p.session, { form: spec.form?.() });
      const holds = p.kind === 'staff' && (spec.holders || HOLDERS[r.access]).includes(p.role);
      const inScope = !spec.scoped || Object.hasOwn(CITY_ROLES, p.role) || p.dept === SCJGJ;
      let want;
      let good;
      if (p.kind === 'staff' && !p.trained) {
        want = '403 (or 404) or redirect to /training';
        good = res.status === 403 || res.status === 404 || toTraining(res);
      } else if (holds && inScope) {
        want = spec.authOnly ? 'past authorisation' : '2xx/3xx';
        good = spec.authOnly ? authorised(res) : ok(res.status) && !toLogin(res) && !toTraining(res);
      } else {
        want = '403 (or 404)';
        good = res.status === 403 || res.status === 404;
      }
      if (!good) failures.push(`${r.key} as ${p.label}: got ${res.status}, want ${want}`);
    }
  }
  assert.deepEqual(failures, []);
});

// ---- every route, every case ---------------------------------------------------------------

// A concrete path for any route: the applicant's case, a sample item or bundle, a staff
// member, and ids that name nothing.
function fillAny(pattern) {
  return pattern
    .replace('{number}', caseNumber)
    .replace('{item}', FOOD_LICENCE)
    .replace('{username}', 'clerk_scjgj')
    .replace('{id}', '0'.repeat(64))
    .replace('{file}', 'decision.pdf')
    .replace('{year}', '2026')
    .replace('{code}', pattern.startsWith('/apply/bundle') ? samples.bundle : pattern.startsWith('/departments') ? SCJGJ
      : pattern.includes('bundles') ? samples.bundle : samples.item)
    .replace('{index}', String(samples.materialIndex))
    .replace('{name...}', 'site.css');
}

test('every non-public route refuses anonymous callers: 401 from the API, the login page otherwise', async () => {
  const failures = [];
  for (const r of (await listRoutes()).filter((x) => x.access !== 'public')) {
    const path = fillAny(r.pattern);
    const res = await call(r.method, path, null, { json: isApi(path) && r.method !== 'GET' ? {} : undefined });
    if (r.key === 'POST /logout') {
      if (res.status !== 303) failures.push(`${r.key}: ${res.status}`);
    } else if (isApi(path) ? res.status !== 401 : !toLogin(res)) {
      failures.push(`${r.key}: ${res.status} ${res.headers.get('location') || ''}`);
    }
  }
  assert.deepEqual(failures, []);
});

test("an applicant gets 404 on every route of another applicant's case", async () => {
  const applicant = principals.find((p) => p.kind === 'applicant');
  const mine = await call('GET', `/api/v1/cases/${caseNumber}`, await signIn(applicant));
  assert.equal(mine.status, 200, 'the owner reads the case');
  const failures = [];
  const routes = (await listRoutes()).filter((x) => x.access === 'signed_in' && x.pattern.includes('{number}'));
  assert.ok(routes.length >= 6, routes.map((r) => r.key).join(', '));
  for (const r of routes) {
    const path = fillAny(r.pattern);
    const json = isApi(path) && r.method !== 'GET' ? { action: 'withdraw', data: {} } : undefined;
    const form = !isApi(path) && r.method !== 'GET' ? [['action', 'withdraw'], ['version', '1']] : undefined;
    const res = await call(r.method, path, other.session, { json, form, ifMatch: '"1"' });
    if (res.status !== 404) failures.push(`${r.key} as another applicant: ${res.status}`);
  }
  assert.deepEqual(failures, []);
});

test("staff of another department get 403 or 404 on a department's case", async () => {
  const elsewhereStaff = principals.filter((p) => p.kind === 'staff' && p.trained && p.dept === ZRZYJ &&
    HOLDERS.case_read.includes(p.role));
  const clerk = principals.find((p) => p.role === 'clerk' && p.dept === SCJGJ);
  assert.ok(elsewhereStaff.length >= 3);
  const routes = (await listRoutes()).filter((x) => x.access !== 'public' && x.pattern.includes('{number}'));
  const failures = [];
  for (const r of routes) {
    const path = fillAny(r.pattern);
    const json = isApi(path) && r.method !== 'GET' ? { action: 'accept' } : undefined;
    const form = !isApi(path) && r.method !== 'GET' ? [['action', 'accept'], ['version', '1']] : undefined;
    for (const p of elsewhereStaff) {
      const res = await call(r.method, path, p.session, { json, form, ifMatch: '"1"' });
      if (res.status !== 403 && res.status !== 404) failures.push(`${r.key} as ${p.label}: ${res.status}`);
    }
  }
  // The department's own clerk reads it (the routes are not simply closed).
  for (const path of [`/api/v1/cases/${caseNumber}`, `/work/cases/${caseNumber}`]) {
    const res = await call('GET', path, clerk.session);
    if (res.status !== 200) failures.push(`GET ${path} as ${clerk.label}: ${res.status}`);
  }
  assert.deepEqual(failures, []);
});
