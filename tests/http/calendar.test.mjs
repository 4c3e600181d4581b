// The working-day calendar over HTTP and on the command line, against the real binary:
// the public API (add, between, a year's schedule; provisional for a year without
// schedule), the CLI on a fresh data directory (strict: a missing year is exit 2), and the
// centre's /admin/calendar page (view, replace a year, errors beside the field, CSRF,
// permissions).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, BIN } from './server.mjs';

const CENTRE = '445100-XZFWZX';
const SCJGJ = '445100-SCJGJ';

let srv;
let centre, clerk;
before(async () => {
  srv = await startServer();
  centre = addStaff('centre1', CENTRE, 'centre_admin');
  clerk = addStaff('clerk1', SCJGJ, 'clerk');
});
after(async () => { await srv.stop(); });

// ---- helpers ----------------------------------------------------------------------------

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

function addStaff(username, dept, role) {
  const password = `${username} passphrase long`;
  const out = execFileSync(BIN, ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept,
    '--role', role, '--password-stdin', '--data', srv.dataDir], { input: `${password}\n` }).toString();
  execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
    '--data', srv.dataDir]);
  return { username, password, secret: out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1] };
}

const sessions = new Map();
async function signIn(staff) {
  if (!sessions.has(staff.username)) {
    const res = await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: staff.username, password: staff.password, totp: totp(staff.secret) }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    sessions.set(staff.username, { cookie: res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0], csrf: body.csrf_token });
  }
  return sessions.get(staff.username);
}

async function page(path, session, { method = 'GET', form } = {}) {
  const headers = { accept: 'text/html' };
  if (session) headers.cookie = session.cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  return { res, text: await res.text() };
}

async function api(path) {
  const res = await fetch(srv.url + path);
  return { res, body: await res.json() };
}

function cli(args, dataDir) {
  const r = spawnSync(BIN, ['calendar', ...args, '--data', dataDir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr };
}

// Today in China (UTC+8), as the server sees it.
function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// ---- the public API ---------------------------------------------------------------------

test('add counts working days across the holidays and make-up days', async () => {
  const cases = [
    ['2025-09-30', 1, '2025-10-09'],  // over National Day 2025 (10-01..10-08)
    ['2025-09-26', 1, '2025-09-28'],  // the make-up Sunday
    ['2025-09-19', 20, '2025-10-23'],
    ['2024-02-09', 1, '2024-02-18'],  // Spring Festival 2024, then the make-up Sunday
    ['2025-12-31', 1, '2026-01-04'],  // New Year 2026, then the make-up Sunday
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2025-05-06', 0, '2025-05-06'],
  ];
  for (const [from, days, date] of cases) {
    const { res, body } = await api(`/api/v1/calendar/add?from=${from}&days=${days}`);
    assert.equal(res.status, 200, from);
    assert.deepEqual(body, { from, days, date, provisional: false });
  }
});

test('between counts (from, to]', async () => {
  const cases = [
    ['2024-12-31', '2025-12-31', 248, false],
    ['2023-12-31', '2024-12-31', 251, false],  // (from, to]: 2023 itself is never examined
    ['2025-09-30', '2025-10-09', 1, false],
    ['2025-10-09', '2025-09-30', 0, false],
    ['2022-12-30', '2023-01-03', 2, true],  // no 2023 schedule: Monday 01-02 counts, provisionally
  ];
  for (const [from, to, n, provisional] of cases) {
    const { res, body } = await api(`/api/v1/calendar/between?from=${from}&to=${to}`);
    assert.equal(res.status, 200);
    assert.deepEqual(body, { from, to, working_days: n, provisional }, `${from}..${to}`);
  }
});

test('a year without schedule gives a provisional answer', async () => {
  const { body } = await api('/api/v1/calendar/add?from=2030-12-31&days=1');
  assert.deepEqual(body, { from: '2030-12-31', days: 1, date: '2031-01-01', provisional: true });
});

test('a year\'s schedule, and a missing year', async () => {
  const { res, body } = await api('/api/v1/calendar/2026');
  assert.equal(res.status, 200);
  assert.equal(body.year, 2026);
  assert.equal(body.days_off.length, 33);
  assert.deepEqual(body.make_up_days, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  assert.equal(body.stored, false);
  const missing = await api('/api/v1/calendar/2031');
  assert.equal(missing.res.status, 404);
  assert.equal(missing.body.error.code, 'calendar_year_missing');
});

test('bad input is a 400 naming the parameter', async () => {
  const cases = [
    ['/api/v1/calendar/add?days=1', 'from'],
    ['/api/v1/calendar/add?from=2025-02-29&days=1', 'from'],
    ['/api/v1/calendar/add?from=2025-01-01', 'days'],
    ['/api/v1/calendar/add?from=2025-01-01&days=-1', 'days'],
    ['/api/v1/calendar/add?from=2025-01-01&days=1x', 'days'],
    ['/api/v1/calendar/add?from=2025-01-01&days=99999', 'days'],
    ['/api/v1/calendar/between?from=2025-01-01', 'to'],
    ['/api/v1/calendar/between?from=2025/01/01&to=2025-02-01', 'from'],
    ['/api/v1/calendar/between?from=0999-01-01&to=2025-02-01', 'from'],
    ['/api/v1/calendar/between?from=1900-01-01&to=2025-02-01', 'to'],  // over 100 years
    ['/api/v1/calendar/abc', 'year'],
  ];
  for (const [path, field] of cases) {
    const { res, body } = await api(path);
    assert.equal(res.status, 400, path);
    assert.equal(body.error.field, field, path);
    assert.ok(body.error.message, path);
  }
});

// ---- the command line -------------------------------------------------------------------

test('the CLI answers on a fresh data directory and refuses a missing year', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-cal-'));
  try {
    assert.deepEqual(cli(['add', '2025-09-30', '1'], dir), { code: 0, out: '2025-10-09', err: '' });
    assert.equal(cli(['between', '2024-12-31', '2025-12-31'], dir).out, '248');
    const missing = cli(['add', '2026-12-31', '1'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /2027 年的节假日安排尚未录入/);
    assert.match(missing.err, /no holiday schedule for 2027/);
    assert.equal(cli(['between', '2026-12-01', '2027-01-05'], dir).code, 2);
    assert.equal(cli(['add', '2025-02-30', '1'], dir).code, 2);
    assert.equal(cli(['add', '2025-01-01', 'ten'], dir).code, 2);

    // Import 2027, then the same question is answered.
    const file = join(dir, '2027.json');
    writeFileSync(file, JSON.stringify({ year: 2027, days_off: ['2027-01-01'], make_up_days: [] }));
    const imported = cli(['import', file], dir);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /imported 2027/);
    assert.equal(cli(['add', '2026-12-31', '1'], dir).out, '2027-01-04');
    const shown = JSON.parse(cli(['show', '2027'], dir).out);
    assert.deepEqual(shown, { year: 2027, days_off: ['2027-01-01'], make_up_days: [], stored: true });
    assert.equal(cli(['show', '2031'], dir).code, 2);

    // A bad file changes nothing: the list at fault is named.
    writeFileSync(file, JSON.stringify({ year: 2027, days_off: ['2026-12-31'], make_up_days: [] }));
    const bad = cli(['import', file], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /days_off/);
    assert.equal(cli(['add', '2026-12-31', '1'], dir).out, '2027-01-04');
    // The import is in the audit trail.
    assert.match(execFileSync(BIN, ['audit', 'verify', '--data', dir]).toString(), /^ok:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the centre's page ------------------------------------------------------------------

test('not signed in: the page sends the browser to the login page', async () => {
  const { res } = await page('/admin/calendar');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/login?next=${encodeURIComponent('/admin/calendar')}`);
});

test('a clerk may neither see nor change the calendar', async () => {
  const s = await signIn(clerk);
  assert.equal((await page('/admin/calendar', s)).res.status, 403);
  const post = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['year', '2027'], ['days_off', '2027-01-01'], ['make_up_days', '']] });
  assert.equal(post.res.status, 403);
  assert.equal((await api('/api/v1/calendar/2027')).res.status, 404);
});

test('the centre sees a year with its days off and make-up days', async () => {
  const s = await signIn(centre);
  const { res, text } = await page('/admin/calendar?year=2026', s);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(text, /<h1>节假日设置<\/h1>/);
  assert.match(text, /2026-02-14<\/td><td>星期六/);
  assert.match(text, /共 33 天放假，6 天调休上班/);
  const today = chinaToday();
  const nextYear = Number(today.slice(0, 4)) + 1;
  const nextMissing = (await api(`/api/v1/calendar/${nextYear}`)).res.status === 404;
  if (Number(today.slice(5, 7)) >= 11 && nextMissing) assert.match(text, new RegExp(`${nextYear} 年节假日安排尚未录入`));
  else assert.doesNotMatch(text, /年节假日安排尚未录入。请/);
  assert.equal((await page('/admin/calendar?year=20x6', s)).res.status, 400);
});

test('errors are shown beside the field and nothing is saved', async () => {
  const s = await signIn(centre);
  const { res, text } = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['year', '2027'], ['days_off', '2027-01-01\n2027-02-30'], ['make_up_days', '']] });
  assert.equal(res.status, 400);
  assert.match(text, /id="calendar-days-off-error" class="field-error">第 2 项“2027-02-30”不是 YYYY-MM-DD 格式的有效日期/);
  assert.match(text, /2027-01-01\n2027-02-30<\/textarea>/);  // what was typed comes back
  const both = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['year', '2027'], ['days_off', '2027-01-01'], ['make_up_days', '2027-01-01']] });
  assert.equal(both.res.status, 400);
  assert.match(both.text, /id="calendar-make-up-error" class="field-error">2027-01-01 重复出现/);
  const badYear = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['year', 'abcd'], ['days_off', ''], ['make_up_days', '']] });
  assert.equal(badYear.res.status, 400);
  assert.match(badYear.text, /id="calendar-year-error"/);
  const noToken = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', 'nope'], ['year', '2027'], ['days_off', '2027-01-01'], ['make_up_days', '']] });
  assert.equal(noToken.res.status, 403);
  assert.equal((await api('/api/v1/calendar/2027')).res.status, 404);
});

test('the centre enters next year: provisional deadlines become exact', async () => {
  const s = await signIn(centre);
  const before = (await api('/api/v1/calendar/add?from=2026-12-31&days=1')).body;
  assert.deepEqual(before, { from: '2026-12-31', days: 1, date: '2027-01-01', provisional: true });
  const { res } = await page('/admin/calendar', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['year', '2027'], ['days_off', '2027-01-01，2027-02-06、2027-02-07 2027-02-08\r\n2027-02-09'],
      ['make_up_days', '2027-01-31']] });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/admin/calendar?year=2027&saved=1');
  const shown = await page('/admin/calendar?year=2027&saved=1', s);
  assert.match(shown.text, /已保存 2027 年节假日安排/);
  assert.match(shown.text, /由行政服务中心录入/);
  assert.doesNotMatch(shown.text, /2027 年节假日安排尚未录入/);
  const after = (await api('/api/v1/calendar/add?from=2026-12-31&days=1')).body;
  assert.deepEqual(after, { from: '2026-12-31', days: 1, date: '2027-01-04', provisional: false });
  const year = (await api('/api/v1/calendar/2027')).body;
  assert.deepEqual(year, { year: 2027, days_off: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09'],
    make_up_days: ['2027-01-31'], stored: true });
  // The edit is in the audit trail, under the centre administrator's name.
  const audit = await page('/admin/audit?action=calendar.put_year', s);
  assert.equal(audit.res.status, 200);
  assert.match(audit.text, /centre1/);
  assert.match(audit.text, /calendar_year 2027/);
});
