// The staff identity pages over HTTP, against the real binary (SQLite, demo data): staff
// made with the CLI sign in through POST /api/v1/session with a TOTP code computed here,
// then use /admin/staff, /admin/training, /training and /admin/audit as a browser would
// (urlencoded forms with the csrf_token field, no JavaScript).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './server.mjs';

let srv;
let clerk, officer, deptAdmin, techAdmin, untrained, otherDeptClerk;
before(async () => {
  srv = await startServer();
  clerk = addStaff('clerk1', SCJGJ, ['clerk']);
  officer = addStaff('officer1', SCJGJ, ['security_officer']);
  deptAdmin = addStaff('admin1', SCJGJ, ['dept_admin']);
  techAdmin = addStaff('tech1', XXB, ['tech_admin']);
  untrained = addStaff('newbie1', SCJGJ, ['security_officer'], { trained: false });
  otherDeptClerk = addStaff('wsclerk1', WSJKJ, ['clerk']);
});
after(async () => { await srv.stop(); });

const SCJGJ = '445100-SCJGJ';  // 潮州市市场监督管理局
const WSJKJ = '445100-WSJKJ';  // 潮州市卫生健康局
const CENTRE = '445100-XZFWZX';
const XXB = '445100-XXB';

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

function addStaff(username, dept, roles, { trained = true, password = `${username} passphrase long` } = {}) {
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept];
  for (const r of roles) args.push('--role', r);
  args.push('--password-stdin', '--data', srv.dataDir);
  const out = execFileSync(BIN, args, { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  if (trained) {
    execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
      '--data', srv.dataDir]);
  }
  return { username, password, secret };
}

// One session per staff member for the whole file: a TOTP code works once, so signing the
// same member in twice within 30 seconds would be refused as a replay.
const sessions = new Map();
async function signIn(staff) {
  if (!sessions.has(staff.username)) sessions.set(staff.username, await newSession(staff));
  return sessions.get(staff.username);
}

async function newSession({ username, password, secret }) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password, totp: totp(secret) }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
  return { cookie, csrf: body.csrf_token };
}

async function page(path, session, { method = 'GET', form } = {}) {
  const headers = { accept: 'text/html' };
  if (session) headers.cookie = session.cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const params = new URLSearchParams();
    for (const [k, v] of form) params.append(k, v);
    body = params.toString();
  }
  const res = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  return { res, text: await res.text() };
}

// CSV records (RFC 4180, CRLF, quoted fields with "" escapes) of an export.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') { /* skip */ } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('not signed in: the staff pages send the browser to the login page', async () => {
  for (const path of ['/admin/staff', '/admin/training', '/admin/audit', '/training']) {
    const { res } = await page(path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get('location'), `/login?next=${encodeURIComponent(path)}`);
  }
});

test('a clerk gets 403 on the admin pages', async () => {
  const s = await signIn(clerk);
  for (const path of ['/admin/staff', '/admin/training', '/admin/audit', '/admin/audit/export.csv']) {
    const { res, text } = await page(path, s);
    assert.equal(res.status, 403, path);
    assert.match(text, /无权/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }
  const post = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf], ['username', 'x1'],
    ['name', '某'], ['department', SCJGJ], ['role', 'clerk']] });
  assert.equal(post.res.status, 403);
  const mine = await page('/training', s);
  assert.equal(mine.res.status, 200);
  assert.match(mine.text, /2099-12-31/);
});

test('a security officer of 市场监督管理局 reads only their department, and exports CSV', async () => {
  await signIn(otherDeptClerk);  // an entry of 卫生健康局 that must stay out of sight
  const s = await signIn(officer);
  const { res, text } = await page('/admin/audit', s);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(text, /范围：潮州市市场监督管理局/);
  assert.match(text, /session\.login/);
  assert.doesNotMatch(text, /wsclerk1/);
  assert.doesNotMatch(text, /潮州市卫生健康局/);

  const other = await page(`/admin/audit?dept=${WSJKJ}`, s);
  assert.equal(other.res.status, 403);
  assert.match(other.text, /只能查阅本单位/);

  const bad = await page('/admin/audit?from=2024-02-30', s);
  assert.equal(bad.res.status, 400);
  assert.match(bad.text, /起始日期应为 YYYY-MM-DD/);

  const csv = await fetch(`${srv.url}/admin/audit/export.csv?action=session.login`, { headers: { cookie: s.cookie } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  const disposition = csv.headers.get('content-disposition');
  assert.match(disposition, /^attachment;/);
  const star = disposition.match(/filename\*=UTF-8''([^;]+)/);
  assert.ok(star, disposition);
  assert.equal(decodeURIComponent(star[1]), '审计日志.csv');
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const rows = parseCsv(bytes.subarray(3).toString('utf8'));
  assert.match(rows[0][0], /^序号/);
  assert.ok(rows[0].some((h) => /Action/i.test(h)), rows[0].join());
  const data = rows.slice(1);
  assert.ok(data.length >= 2, 'the two sign-ins of this department');
  const dept = rows[0].findIndex((h) => /Department/i.test(h));
  const action = rows[0].findIndex((h) => /Action/i.test(h));
  for (const r of data) {
    assert.equal(r[dept], SCJGJ);
    assert.equal(r[action], 'session.login');
  }

  // The search and the export are themselves in the trail.
  const trail = await page('/admin/audit?action=audit.export', s);
  assert.match(trail.text, /audit\.export/);
  const searches = await page('/admin/audit?action=audit.search', s);
  assert.match(searches.text, /<td>audit\.search<\/td>/);

  const verify = await page('/admin/audit/verify', s, { method: 'POST', form: [['csrf_token', s.csrf]] });
  assert.equal(verify.res.status, 200);
  assert.match(verify.text, /校验通过：共 \d+ 条记录/);
  const noToken = await page('/admin/audit/verify', s, { method: 'POST', form: [['csrf_token', 'nope']] });
  assert.equal(noToken.res.status, 403);
});

test('a department admin creates a staff account and sees the QR code and secret once', async () => {
  const s = await signIn(deptAdmin);
  const list = await page('/admin/staff', s);
  assert.equal(list.res.status, 200);
  assert.match(list.text, /clerk1/);
  assert.doesNotMatch(list.text, /wsclerk1/, 'another department');
  assert.doesNotMatch(list.text, /value="centre_admin"/, 'no city-wide roles offered');

  const created = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'wangwu'], ['name', '王五'], ['department', SCJGJ], ['role', 'clerk'], ['password', '']] });
  assert.equal(created.res.status, 201, created.text);
  assert.equal(created.res.headers.get('cache-control'), 'no-store');
  assert.match(created.text, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*role="img"/);
  assert.match(created.text, /<path fill="#000" d="M/);
  const secret = created.text.match(/<code class="totp-secret">([A-Z2-7]+)<\/code>/)[1];
  const password = created.text.match(/<code class="initial-password">([^<]+)<\/code>/)[1];
  assert.match(password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

  // The new member signs in with what the page showed, and is held at the training gate.
  const fresh = await signIn({ username: 'wangwu', password, secret });
  const gate = await page('/admin/audit', fresh);
  assert.equal(gate.res.status, 303);

  const sod = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'boss2'], ['name', '赵'], ['department', SCJGJ], ['role', 'dept_admin'], ['role', 'approver']] });
  assert.equal(sod.res.status, 409);
  assert.match(sod.text, /同一账号不能既管理账号又审查或审批办件/);

  const bad = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', '9x'], ['name', '钱'], ['department', SCJGJ], ['role', 'clerk']] });
  assert.equal(bad.res.status, 400);
  assert.match(bad.text, /id="staff-username-error" class="field-error">用户名应为/);
  assert.match(bad.text, /aria-invalid="true"/);

  const elsewhere = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'ws2'], ['name', '孙'], ['department', WSJKJ], ['role', 'clerk'], ['password', 'typed passphrase ok']] });
  assert.equal(elsewhere.res.status, 403);

  const noCsrf = await page('/admin/staff', s, { method: 'POST', form: [['username', 'zz1'], ['name', '周'],
    ['department', SCJGJ], ['role', 'clerk']] });
  assert.equal(noCsrf.res.status, 403);
});

test('a department admin sets a certificate subject for CA login, at creation or later, audited', async () => {
  const s = await signIn(deptAdmin);
  const form = await page('/admin/staff', s);
  assert.match(form.text, /<label for="staff-cert-subject">证书主题/);
  assert.match(form.text, /CN=李雷,O=潮州市市场监督管理局/);

  const subject = 'CN=李雷,O=潮州市市场监督管理局';
  const created = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'lilei'], ['name', '李雷'], ['department', SCJGJ], ['role', 'clerk'], ['password', ''],
    ['cert_subject', subject]] });
  assert.equal(created.res.status, 201, created.text);
  // The same subject cannot name a second member.
  const dup = await page('/admin/staff', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'hanmeimei'], ['name', '韩梅梅'], ['department', SCJGJ], ['role', 'clerk'], ['password', ''],
    ['cert_subject', subject]] });
  assert.equal(dup.res.status, 409);
  assert.match(dup.text, /id="staff-cert-subject-error" class="field-error">该证书主题已被使用/);

  // Every row has its own form; setting a subject replaces the one before.
  const list = await page('/admin/staff', s);
  assert.match(list.text, /action="\/admin\/staff\/clerk1\/certificate"/);
  const renewed = 'CN=李雷,OU=2026,O=潮州市市场监督管理局';
  const set = await page('/admin/staff/lilei/certificate', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['cert_subject', renewed]] });
  assert.equal(set.res.status, 303);
  assert.equal(set.res.headers.get('location'), '/admin/staff?cert_saved=lilei');
  const notice = await page(set.res.headers.get('location'), s);
  assert.match(notice.text, /已更新 lilei 的证书主题/);
  // The old subject is free again: another member may take it.
  const reuse = await page('/admin/staff/clerk1/certificate', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['cert_subject', subject]] });
  assert.equal(reuse.res.status, 303);
  const taken = await page('/admin/staff/clerk1/certificate', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['cert_subject', renewed]] });
  assert.equal(taken.res.status, 409);
  assert.match(taken.text, /clerk1：该证书主题已被使用/);
  const bad = await page('/admin/staff/clerk1/certificate', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['cert_subject', 'no equals sign']] });
  assert.equal(bad.res.status, 400);
  assert.match(bad.text, /证书主题应为 RFC 2253 格式/);

  // Another department's member, a clerk, no CSRF token, nobody signed in: refused.
  assert.equal((await page('/admin/staff/wsclerk1/certificate', s, { method: 'POST',
    form: [['csrf_token', s.csrf], ['cert_subject', 'CN=X,O=Y']] })).res.status, 403);
  const c = await signIn(clerk);
  assert.equal((await page('/admin/staff/lilei/certificate', c, { method: 'POST',
    form: [['csrf_token', c.csrf], ['cert_subject', 'CN=X,O=Y']] })).res.status, 403);
  assert.equal((await page('/admin/staff/lilei/certificate', s, { method: 'POST',
    form: [['cert_subject', 'CN=X,O=Y']] })).res.status, 403);
  const anon = await page('/admin/staff/lilei/certificate', null, { method: 'POST', form: [['cert_subject', 'CN=X,O=Y']] });
  assert.equal(anon.res.status, 303);
  assert.match(anon.res.headers.get('location'), /^\/login/);

  // The security officer of the department finds each change with before and after.
  const o = await signIn(officer);
  const trail = await page('/admin/audit?action=staff.certificate', o);
  assert.equal(trail.res.status, 200);
  assert.match(trail.text, /CN=李雷,OU=2026,O=潮州市市场监督管理局/);
  assert.match(trail.text, /之前/);
});

test('an untrained staff member is sent to /training and can do nothing else', async () => {
  const s = await signIn(untrained);
  for (const path of ['/admin/audit', '/admin/staff', '/admin/training']) {
    const { res } = await page(path, s);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get('location'), '/training');
  }
  const t = await page('/training', s);
  assert.equal(t.res.status, 200);
  assert.match(t.text, /未完成培训考核，暂不能办理业务/);
  assert.match(t.text, /action="\/logout"/);
});

test('the information office records training on /admin/training', async () => {
  const s = await signIn(techAdmin);
  const before = await page('/admin/training', s);
  assert.equal(before.res.status, 200);
  assert.match(before.text, /newbie1/);
  const bad = await page('/admin/training', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'newbie1'], ['course', '上岗培训'], ['valid_until', '2001-01-01']] });
  assert.equal(bad.res.status, 400);
  assert.match(bad.text, /有效期至应为不早于今天的日期/);
  const saved = await page('/admin/training', s, { method: 'POST', form: [['csrf_token', s.csrf],
    ['username', 'newbie1'], ['course', '安全保密培训'], ['valid_until', '2098-06-30']] });
  assert.equal(saved.res.status, 303);
  const after = await page(saved.res.headers.get('location'), s);
  assert.match(after.text, /已为 newbie1 录入培训考核记录/);
  assert.match(after.text, /<td>安全保密培训<\/td><td>\d{4}-\d{2}-\d{2}<\/td><td>2098-06-30<\/td><td>有效<\/td>/);
  // The newcomer's session, held at the gate before, now opens the audit page.
  const n = await signIn(untrained);
  assert.equal((await page('/admin/audit', n)).res.status, 200);
});

test('a centre admin searches every department', async () => {
  const centre = addStaff('centre1', CENTRE, ['centre_admin']);
  const s = await signIn(centre);
  const { res, text } = await page(`/admin/audit?dept=${WSJKJ}&action=session.login`, s);
  assert.equal(res.status, 200);
  assert.match(text, /范围：全部单位/);
  assert.match(text, /wsclerk1/);
  assert.doesNotMatch(text, /<td>clerk1<\/td>/);
  const staff = await page('/admin/staff', s);
  assert.match(staff.text, /wsclerk1/);
  assert.match(staff.text, /clerk1/);
});
