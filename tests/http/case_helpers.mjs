// Shared by the case HTTP tests: identities (valid citizen IDs and credit codes, staff
// made with `shenpi staff add`, TOTP codes), sessions, JSON calls with CSRF and If-Match,
// uploads, and a server that can be restarted on the same data with another "today".
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './server.mjs';

export const SCJGJ = '445100-SCJGJ';  // 潮州市市场监督管理局
export const CGZFJ = '445100-CGZFJ';  // 潮州市城市管理和综合执法局
export const XFJYZD = '445100-XFJYZD';  // 潮州市消防救援支队
export const ZFCXJSJ = '445100-ZFCXJSJ';  // 潮州市住房和城乡建设局
export const FOOD_LICENCE = '445100-SCJGJ-XK-001';  // 食品经营许可
export const RESTAURANT_BUNDLE = '445100-BL-001';  // 开办餐饮店

// ---- identities ------------------------------------------------------------------------

/** A valid 18-digit citizen ID (GB 11643) from 14 digits of region + birth date and a
 * 3-digit sequence. */
export function citizenId(first14, seq3) {
  const body = first14 + seq3;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * weights[i];
  return body + '10X98765432'[sum % 11];
}

/** A valid unified social credit code (GB 32100) from its first 16 characters: the check
 * character of the organisation code in positions 9–17 (GB 11714) and the final one. */
export function creditCode(first16) {
  const value = (c) => (/[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  let orgSum = 0;
  for (let i = 0; i < 8; i++) orgSum += value(first16[8 + i]) * orgWeights[i];
  const orgCheck = 11 - (orgSum % 11);
  const first17 = first16 + (orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck));
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += chars.indexOf(first17[i]) * w;
    w = (w * 3) % 31;
  }
  return first17 + chars[(31 - (sum % 31)) % 31];
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code of a base32 secret (SHA-1, 6 digits, 30 s). */
export function totp(secretBase32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** Makes a trained staff member with the CLI; returns {username, password, secret}. */
export function addStaff(srv, username, dept, roles) {
  const password = `${username} passphrase long`;
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept];
  for (const r of [].concat(roles)) args.push('--role', r);
  args.push('--password-stdin', '--data', srv.dataDir);
  const out = execFileSync(BIN, args, { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
    '--data', srv.dataDir]);
  return { username, password, secret, name: `员工${username}` };
}

/** Registers a natural person; returns {login, password}. */
export async function registerPerson(srv, idNumber, name = '张三') {
  const password = `${idNumber} passphrase`;
  const res = await fetch(`${srv.url}/api/v1/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'person', name, id_number: idNumber, mobile: '13812345678', password }),
  });
  assert.equal(res.status, 201, await res.text());
  return { login: idNumber, password, name };
}

/** Registers a legal person (with an agent); returns {login, password}. */
export async function registerOrganisation(srv, code, name = '潮州市某某餐饮有限公司') {
  const password = `${code} passphrase`;
  const res = await fetch(`${srv.url}/api/v1/accounts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'organisation', name, credit_code: code, representative: '李四',
      agent: { name: '王五', id_number: citizenId('44510219850615', '021') },
      mobile: '13912345678', password,
    }),
  });
  assert.equal(res.status, 201, await res.text());
  return { login: code, password, name };
}

/** Signs in (staff with a fresh TOTP code, applicants without); returns {cookie, csrf}.
 * A TOTP step works once per account: sign each staff member in once per server. */
export async function signIn(srv, { login, username, password, secret }) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: login || username, password, totp: secret ? totp(secret) : '' }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, `${login || username}: ${JSON.stringify(body)}`);
  const cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
  return { cookie, csrf: body.csrf_token, account: body.account };
}

// ---- requests --------------------------------------------------------------------------

/** A JSON call as `session` (null: anonymous); resolves to {status, body, headers}.
 * Writes carry the CSRF header; `ifMatch` becomes If-Match as given. */
export async function api(srv, session, method, path, { json, ifMatch, headers: extra = {} } = {}) {
  const headers = { accept: 'application/json', ...extra };
  if (session) {
    headers.cookie = session.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = session.csrf;
  }
  if (ifMatch !== undefined) headers['if-match'] = String(ifMatch);
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof json === 'string' ? json : JSON.stringify(json);
  }
  const res = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed = text;
  if ((res.headers.get('content-type') || '').includes('json')) parsed = text ? JSON.parse(text) : null;
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A binary GET; resolves to {status, bytes, headers}. */
export async function download(srv, session, path) {
  const headers = session ? { cookie: session.cookie } : {};
  const res = await fetch(srv.url + path, { headers });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** A small but well-formed PDF with `text` in a comment (distinct bytes per call site). */
export function tinyPdf(text = 'material') {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1');
}

/** Uploads a PDF as a material (POST /api/v1/uploads, multipart); returns its id. */
export async function uploadPdf(srv, session, filename = '平面布局图.pdf', bytes = tinyPdf(filename)) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), filename);
  const res = await fetch(`${srv.url}/api/v1/uploads`, {
    method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, body: form,
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.id;
}

/** Acts on a case with the version the caller read; resolves to the api() answer. */
export function act(srv, session, number, version, action, extra = {}) {
  return api(srv, session, 'POST', `/api/v1/cases/${number}/actions`, { ifMatch: `"${version}"`, json: { action, ...extra } });
}

/** GET /api/v1/cases/{number}, asserting 200. */
export async function getCase(srv, session, number) {
  const r = await api(srv, session, 'GET', `/api/v1/cases/${number}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/** Reads the case and takes the action at its current version, asserting 200. */
export async function actNow(srv, session, number, action, extra = {}) {
  const c = await getCase(srv, session, number);
  const r = await act(srv, session, number, c.version, action, extra);
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// ---- demo form data --------------------------------------------------------------------

/** A complete application for 食品经营许可 (the demo form), with `layoutPlan` an upload id. */
export function foodLicenceData(layoutPlan, { code = creditCode('91445100MA4W0000') } = {}) {
  return {
    applicant_name: '潮州市湘桥区好味道餐馆',
    credit_code: code,
    legal_rep: '陈大文',
    legal_rep_id: citizenId('44510219800101', '013'),
    contact_phone: '13800138000',
    premises: '潮州市湘桥区太平路100号',
    business_kind: 'catering',
    business_items: ['hot_food', 'cold_food'],
    area: '120',
    online_sales: 'no',
    staff: [{ name: '陈大文', id_no: citizenId('44510219800101', '013'), post: '厨师', health_cert_no: 'JK2026001' }],
    layout_plan: [layoutPlan],
  };
}

// ---- a server that keeps its data across restarts ---------------------------------------

/** Starts `shenpi serve` on `dataDir` (made when absent) with extra args (e.g. --today).
 * Like server.mjs, but stop() keeps the data unless told to remove it, so a test can
 * restart the same database on another day. */
export async function startOn(dataDir, args = [], { demo = true } = {}) {
  const dir = dataDir || mkdtempSync(join(tmpdir(), 'shenpi-case-'));
  const argv = ['serve', '--listen', '127.0.0.1:0', '--data', dir, '--access-log', join(dir, 'access.log'), ...args];
  if (demo) argv.push('--demo');
  const proc = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60s: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`, port, dataDir: dir, proc, stderr: () => stderr,
    async stop({ remove = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when `shenpi serve` accepts --today (the tests of the clock need it). */
export function serveHasToday() {
  try {
    return /--today/.test(execFileSync(BIN, ['serve', '--help']).toString());
  } catch {
    return false;
  }
}
