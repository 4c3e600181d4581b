#!/usr/bin/env node
// Crash safety proof (issue 6, REQUIREMENTS Art. 22): starts the real `shenpi serve` on a
// fresh data directory, drives applications and staff decisions from several concurrent
// clients, kills the server with SIGKILL at a random moment, restarts it, and repeats.
// After every kill it checks what a government must be able to promise:
//
//   - every request that got a success answer is still there: the case, with each
//     acknowledged action in its timeline (read back as the applicant) and an audit entry
//     for each change; nothing is doubled either (If-Match and Idempotency-Key hold);
//   - SQLite: `PRAGMA integrity_check` is "ok" and `PRAGMA foreign_key_check` is empty on
//     the files as the kill left them (a copy, so the server still recovers on its own);
//     PostgreSQL: amcheck finds every B-tree index of the schema sound;
//   - `shenpi audit verify` passes (hash chain and signed checkpoints);
//   - case numbers are unique, both in the database and among the answers received;
//   - the restarted server answers GET /healthz with 200 within 2 seconds of its start.
//
// Usage (SHENPI_BIN: the binary; default build/shenpi):
//   node tests/faults/crash/run.mjs                 # CRASH_CYCLES cycles (default 30), SQLite
//   CRASH_CYCLES=1000 node tests/faults/crash/run.mjs   # the long run
//   scripts/with-postgres.sh node tests/faults/crash/run.mjs --db postgres
// Other settings: CRASH_SEED (repeat a run's random choices), CRASH_CLIENTS (applicants,
// default 3; plus 4 staff clients), CRASH_KEEP=1 (keep the data directory).
// Prints one line per cycle and a summary; exits 1 on any loss or failed check.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SCJGJ, FOOD_LICENCE, citizenId, foodLicenceData, totp, tinyPdf,
} from '../../http/case_helpers.mjs';
import { BIN } from '../../http/server.mjs';

// ---- settings ------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const DB_KIND = argv.includes('--db') ? argv[argv.indexOf('--db') + 1] : 'sqlite';
const CYCLES = Number(process.env.CRASH_CYCLES || 30);
const CLIENTS = Number(process.env.CRASH_CLIENTS || 3);
const KEEP = process.env.CRASH_KEEP === '1';
let seed = Number(process.env.CRASH_SEED || Date.now() % 1000000);
const SEED = seed;
// Kill between these many milliseconds after the load starts: early kills land among the
// first writes after recovery, late ones in the middle of a steady stream.
const KILL_MIN_MS = 150;
const KILL_MAX_MS = 1500;
const HEALTHZ_BUDGET_MS = 2000;
// Old cases re-read per cycle besides those touched in it (all are re-read at the end).
const SAMPLE_OLD = 10;

/** A small deterministic PRNG (mulberry32), so that CRASH_SEED repeats a run's choices. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (DB_KIND !== 'sqlite' && DB_KIND !== 'postgres') {
  console.error(`crash: --db must be sqlite or postgres, not ${DB_KIND}`);
  process.exit(2);
}
if (DB_KIND === 'postgres' && !process.env.SHENPI_TEST_PG_URL) {
  console.log('crash: SKIP: --db postgres needs SHENPI_TEST_PG_URL (run under scripts/with-postgres.sh)');
  process.exit(77);
}

const dataDir = mkdtempSync(join(tmpdir(), 'shenpi-crash-'));
let pg = null;  // {url, admin, name} with --db postgres
if (DB_KIND === 'postgres') {
  const admin = process.env.SHENPI_TEST_PG_URL;
  const name = `shenpi_crash_${process.pid}`;
  execFileSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  pg = { url: u.toString(), admin, name };
  execFileSync('psql', [pg.url, '-v', 'ON_ERROR_STOP=1', '-qc', 'CREATE EXTENSION amcheck']);
}
const dbArgs = pg ? ['--db', pg.url] : [];

// ---- the server ----------------------------------------------------------------------------

/** Starts `shenpi serve` on the data directory; resolves once /healthz answers 200, with
 * {url, proc, exited, readyMs} (readyMs: from spawn to the first 200 from /healthz). */
async function start() {
  const t0 = performance.now();
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--access-log', 'off',
    '--demo', ...dbArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) while starting: ${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) break;
    } catch { /* not yet */ }
    if (performance.now() - t0 > 60000) throw new Error(`/healthz not 200 within 60 s: ${stderr}`);
    await sleep(10);
  }
  return { url, proc, exited, readyMs: performance.now() - t0, stderr: () => stderr };
}

async function kill9(srv) {
  if (srv.proc.exitCode === null && srv.proc.signalCode === null) srv.proc.kill('SIGKILL');
  await srv.exited;
}

// ---- identities and calls ------------------------------------------------------------------

function addStaff(username, roles) {
  const password = `${username} passphrase long`;
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', SCJGJ];
  for (const r of roles) args.push('--role', r);
  args.push('--password-stdin', '--data', dataDir, ...dbArgs);
  const out = execFileSync(BIN, args, { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
    '--data', dataDir, ...dbArgs]);
  return { login: username, password, secret };
}

/** Signs in; staff need a TOTP step not used before, so a refused staff sign-in waits
 * for the next step. Sessions live in the database and so survive the kills. */
async function signIn(url, who) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await fetch(`${url}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: who.login, password: who.password, totp: who.secret ? totp(who.secret) : '' }),
    });
    const body = await res.json();
    if (res.status === 200) {
      who.cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
      who.csrf = body.csrf_token;
      return;
    }
    if (!who.secret) throw new Error(`sign-in of ${who.login}: ${res.status} ${JSON.stringify(body)}`);
    await sleep(31000 - (Date.now() % 30000));
  }
  throw new Error(`sign-in of ${who.login} kept failing`);
}

/** One call; resolves to {status, body} or {status: 0, error} when no answer came back. */
async function call(url, who, method, path, { json, form, headers = {} } = {}) {
  const h = { accept: 'application/json', cookie: who.cookie, ...headers };
  if (method !== 'GET') h['x-csrf-token'] = who.csrf;
  let body;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  try {
    const res = await fetch(url + path, { method, headers: h, body, signal: AbortSignal.timeout(20000) });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed };
  } catch (e) {
    return { status: 0, error: e };
  }
}

// ---- what the clients were told ------------------------------------------------------------

// number -> {number, owner, acked: {action: n}, maybe: {action: n}, touched: cycle, done}
// acked: changes answered with success; maybe: requests that got no answer or a 5xx, so
// may or may not have happened. After each restart the timeline resolves the maybes.
const cases = new Map();
const numbersAnswered = [];  // every case number a 201 carried, to find duplicates
const stats = { cycles: 0, kills: 0, acked: 0, unknown: 0, refused: 0, losses: 0, failures: 0, readyMs: [] };
const problems = [];

function fail(message) {
  stats.failures++;
  problems.push(message);
  console.log(`  FAIL ${message}`);
}

function bump(map, action, n = 1) { map[action] = (map[action] || 0) + n; }

/** Sorts an answer: 2xx acknowledged, 4xx refused (nothing changed), else unknown. */
function outcome(r) {
  if (r.status >= 200 && r.status < 300) return 'acked';
  if (r.status >= 400 && r.status < 500) return 'refused';
  return 'unknown';
}

// ---- the load ------------------------------------------------------------------------------

let cycleNo = 0;
let applicationSeq = 0;

async function applicantLoop(url, who, stop) {
  while (!stop.now) {
    // Keep the staff's desks from drowning, so that cases also reach delivery.
    if ([...cases.values()].filter((c) => !c.done).length > 12) { await sleep(20); continue; }
    const form = new FormData();
    const pdfName = `平面布局图-${cycleNo}-${applicationSeq}.pdf`;
    form.append('file', new Blob([tinyPdf(pdfName)], { type: 'application/pdf' }), pdfName);
    const up = await call(url, who, 'POST', '/api/v1/uploads', { form });
    if (up.status !== 201) { await sleep(20); continue; }
    const key = `crash-${SEED}-${++applicationSeq}`;
    const r = await call(url, who, 'POST', '/api/v1/applications', {
      headers: { 'idempotency-key': key },
      json: { item: FOOD_LICENCE, data: foodLicenceData(up.body.id), submit: true },
    });
    const o = outcome(r);
    stats[o === 'acked' ? 'acked' : o === 'refused' ? 'refused' : 'unknown']++;
    if (o === 'acked') {
      numbersAnswered.push(r.body.number);
      if (cases.has(r.body.number)) {
        fail(`case number ${r.body.number} answered twice`);
      } else {
        cases.set(r.body.number, { number: r.body.number, owner: who, acked: { apply: 1 }, maybe: {}, touched: cycleNo });
      }
    } else if (o === 'refused') {
      fail(`application refused: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
}

// What each staff member does, by the actions the case offers them.
const STAFF_ACTIONS = {
  clerk: { accept: {}, deliver: {} },
  reviewerA: { review_opinion: { opinion: '材料齐全，符合法定条件', agree: true } },
  reviewerB: { review_opinion: { opinion: '复核同意', agree: true } },
  approver: { approve: {} },
};

async function staffLoop(url, who, role, stop) {
  const mine = STAFF_ACTIONS[role];
  while (!stop.now) {
    const open = [...cases.values()].filter((c) => !c.done);
    if (open.length === 0) { await sleep(20); continue; }
    // The oldest first, so that cases go through every stage to delivery.
    const c = pick(open.slice(0, 6));
    const g = await call(url, who, 'GET', `/api/v1/cases/${c.number}`);
    if (g.status !== 200) { await sleep(5); continue; }
    if (g.body.state === 'delivered') { c.done = true; continue; }
    const action = Object.keys(mine).find((a) => g.body.allowed_actions.includes(a));
    if (!action) { await sleep(5); continue; }
    const r = await call(url, who, 'POST', `/api/v1/cases/${c.number}/actions`, {
      headers: { 'if-match': `"${g.body.version}"` }, json: { action, ...mine[action] },
    });
    const o = outcome(r);
    stats[o]++;
    if (o === 'refused' && ![409, 412].includes(r.status)) fail(`${action} on ${c.number}: ${r.status} ${JSON.stringify(r.body)}`);
    if (o === 'refused') continue;
    bump(o === 'acked' ? c.acked : c.maybe, action);
    c.touched = cycleNo;
  }
}

// ---- the checks ----------------------------------------------------------------------------

function sqliteJson(file, sql) {
  const out = execFileSync('sqlite3', ['-json', file, sql]).toString().trim();
  return out ? JSON.parse(out) : [];
}

/** Checks the database as the kill left it, before the server recovers it; returns the
 * number of successful audit entries per case. */
function checkDatabaseAfterKill() {
  const audit = new Map();
  // The changes of cases only: not staff reads, refusals, warnings of the supervision job
  // or ratings, which also name the case.
  const sql = `SELECT object_id AS n, count(*) AS k FROM audit_entries WHERE object_type = 'case'
               AND outcome = 'success' AND action LIKE 'case.%' AND action <> 'case.read_personal'
               GROUP BY object_id`;
  if (DB_KIND === 'sqlite') {
    const copy = mkdtempSync(join(tmpdir(), 'shenpi-crash-copy-'));
    try {
      for (const suffix of ['', '-wal']) {
        if (existsSync(join(dataDir, `shenpi.db${suffix}`))) {
          copyFileSync(join(dataDir, `shenpi.db${suffix}`), join(copy, `shenpi.db${suffix}`));
        }
      }
      const file = join(copy, 'shenpi.db');
      const integrity = execFileSync('sqlite3', [file, 'PRAGMA integrity_check']).toString().trim();
      if (integrity !== 'ok') fail(`integrity_check: ${integrity.slice(0, 500)}`);
      const fk = execFileSync('sqlite3', [file, 'PRAGMA foreign_key_check']).toString().trim();
      if (fk !== '') fail(`foreign_key_check: ${fk.slice(0, 500)}`);
      const dup = sqliteJson(file, 'SELECT count(*) - count(DISTINCT number) AS d FROM cases');
      if (dup[0].d !== 0) fail(`${dup[0].d} duplicate case numbers in the database`);
      for (const row of sqliteJson(file, sql)) audit.set(row.n, row.k);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  } else {
    const q = (text) => execFileSync('psql', [pg.url, '-v', 'ON_ERROR_STOP=1', '-qAtc', text]).toString().trim();
    // Every B-tree index of our schema, heap included (amcheck, made at the start).
    q(`SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE a.amname = 'btree' AND n.nspname = 'public'`);
    const d = Number(q('SELECT count(*) - count(DISTINCT number) FROM cases'));
    if (d !== 0) fail(`${d} duplicate case numbers in the database`);
    for (const line of q(sql.replace(/\s+/g, ' ')).split('\n').filter(Boolean)) {
      const [n, k] = line.split('|');
      audit.set(n, Number(k));
    }
  }
  return audit;
}

function auditVerify() {
  try {
    const out = execFileSync(BIN, ['audit', 'verify', '--data', dataDir, ...dbArgs]).toString();
    if (!out.startsWith('ok:')) fail(`audit verify: ${out.trim()}`);
    return out.trim();
  } catch (e) {
    fail(`audit verify failed: ${(e.stdout || '').toString()}${(e.stderr || '').toString()}`.trim());
    return '';
  }
}

const sum = (m) => Object.values(m).reduce((a, b) => a + b, 0);

/** Reads a case back as its applicant and compares its timeline and its audit entries
 * with what the clients were told; then takes the timeline as the new truth. */
async function checkCase(url, c, audit) {
  const g = await call(url, c.owner, 'GET', `/api/v1/cases/${c.number}`);
  if (g.status !== 200) {
    stats.losses++;
    fail(`LOST case ${c.number} (acknowledged ${JSON.stringify(c.acked)}): GET answered ${g.status}`);
    return;
  }
  const seen = {};
  for (const e of g.body.events) bump(seen, e.action);
  // The application itself is one change; its timeline entries are whatever filing makes.
  const staffSeen = {};
  for (const a of ['accept', 'review_opinion', 'approve', 'deliver']) if (seen[a]) staffSeen[a] = seen[a];
  if (!g.body.events.length) fail(`case ${c.number} has no timeline`);
  for (const [a, n] of Object.entries(c.acked)) {
    if (a === 'apply') continue;
    const have = seen[a] || 0;
    if (have < n) {
      stats.losses++;
      fail(`LOST ${n - have} acknowledged "${a}" of case ${c.number}: timeline has ${have}`);
    }
    if (have > n + (c.maybe[a] || 0)) fail(`case ${c.number}: "${a}" ${have} times, expected at most ${n + (c.maybe[a] || 0)}`);
  }
  for (const a of Object.keys(staffSeen)) {
    if (!(a in c.acked) && !(a in c.maybe)) fail(`case ${c.number}: "${a}" in the timeline that nobody asked for`);
  }
  // One audit entry per change: the application and each staff action.
  const changes = 1 + sum(staffSeen);
  const entries = audit.get(c.number) || 0;
  if (audit.size && entries !== changes) {
    if (entries < changes) stats.losses++;
    fail(`case ${c.number}: ${entries} audit entries for ${changes} changes`);
  }
  c.acked = { apply: 1, ...staffSeen };
  c.maybe = {};
  c.done = g.body.state === 'delivered';
}

/** Adopts cases whose filing got no answer but did happen, and checks that no applicant
 * sees a number twice. */
async function adoptUnanswered(url, applicants) {
  let adopted = 0;
  for (const who of applicants) {
    const numbers = [];
    for (let offset = 0; ; offset += 200) {
      const r = await call(url, who, 'GET', `/api/v1/cases?mine=1&limit=200&offset=${offset}`);
      if (r.status !== 200) { fail(`case list of ${who.login}: ${r.status} ${r.error ? r.error.cause?.code || r.error.message : ''}`); return adopted; }
      const page = r.body.cases.map((c) => c.number);
      // A list that ignored the offset would hand the same page forever.
      if (page.length && numbers.includes(page[0])) { fail(`case list of ${who.login} repeats at offset ${offset}`); break; }
      numbers.push(...page);
      if (page.length < 200) break;
    }
    if (new Set(numbers).size !== numbers.length) fail(`${who.login} sees a case number twice`);
    for (const n of numbers) {
      if (!cases.has(n)) {
        cases.set(n, { number: n, owner: who, acked: { apply: 1 }, maybe: {}, touched: cycleNo });
        adopted++;
      }
    }
  }
  return adopted;
}

// ---- the run -------------------------------------------------------------------------------

async function main() {
  console.log(`crash: ${CYCLES} cycles on ${DB_KIND}, ${CLIENTS} applicants + 4 staff, seed ${SEED}, data ${dataDir}`);
  let srv = await start();  // loads the demo catalogue, which the staff belong to
  const staff = {
    clerk: addStaff('crash_clerk', ['clerk']),
    reviewerA: addStaff('crash_review_a', ['reviewer']),
    reviewerB: addStaff('crash_review_b', ['reviewer']),
    approver: addStaff('crash_approver', ['approver']),
  };
  const applicants = [];
  for (let i = 0; i < CLIENTS; i++) {
    const who = { login: citizenId('44510219900307', String(100 + i)), password: `crash applicant ${i} passphrase` };
    const r = await fetch(`${srv.url}/api/v1/accounts`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'person', name: `申请人${i}`, id_number: who.login, mobile: '13812345678', password: who.password }),
    });
    if (r.status !== 201) throw new Error(`register: ${r.status} ${await r.text()}`);
    await signIn(srv.url, who);
    applicants.push(who);
  }
  for (const who of Object.values(staff)) await signIn(srv.url, who);

  const started = Date.now();
  for (cycleNo = 1; cycleNo <= CYCLES; cycleNo++) {
    const stop = { now: false };
    const loops = [
      ...applicants.map((who) => applicantLoop(srv.url, who, stop)),
      ...Object.entries(staff).map(([role, who]) => staffLoop(srv.url, who, role, stop)),
    ];
    const before = { acked: stats.acked, unknown: stats.unknown };
    await sleep(KILL_MIN_MS + random() * (KILL_MAX_MS - KILL_MIN_MS));
    await kill9(srv);
    stats.kills++;
    stop.now = true;
    await Promise.all(loops);

    const audit = checkDatabaseAfterKill();
    srv = await start();
    stats.readyMs.push(srv.readyMs);
    if (srv.readyMs > HEALTHZ_BUDGET_MS) fail(`cycle ${cycleNo}: /healthz answered after ${Math.round(srv.readyMs)} ms`);
    const verified = auditVerify();
    const adopted = await adoptUnanswered(srv.url, applicants);
    const all = [...cases.values()];
    const touched = all.filter((c) => c.touched === cycleNo);
    const old = all.filter((c) => c.touched !== cycleNo);
    const toCheck = cycleNo === CYCLES ? all : [...touched, ...Array.from({ length: Math.min(SAMPLE_OLD, old.length) }, () => pick(old))];
    for (const c of toCheck) await checkCase(srv.url, c, audit);
    stats.cycles++;
    console.log(`cycle ${cycleNo}: ${stats.acked - before.acked} acknowledged, ${stats.unknown - before.unknown} unanswered` +
      ` (${adopted} of those filed anyway), ${toCheck.length} cases checked, ready in ${Math.round(srv.readyMs)} ms,` +
      ` audit ${verified || 'FAILED'}`);
  }
  srv.proc.kill('SIGTERM');
  await srv.exited;

  const ready = [...stats.readyMs].sort((a, b) => a - b);
  const dupNumbers = numbersAnswered.length - new Set(numbersAnswered).size;
  if (dupNumbers) fail(`${dupNumbers} case numbers answered to two applications`);
  console.log('');
  console.log(`crash summary (${DB_KIND}, seed ${SEED}): ${stats.cycles} cycles, ${stats.kills} kills (SIGKILL),` +
    ` ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`  requests: ${stats.acked} acknowledged, ${stats.unknown} unanswered at a kill, ${stats.refused} refused (409/412)`);
  console.log(`  cases: ${cases.size}, ${[...cases.values()].filter((c) => c.done).length} delivered`);
  console.log(`  restart to /healthz 200: median ${Math.round(ready[Math.floor(ready.length / 2)] || 0)} ms,` +
    ` max ${Math.round(ready[ready.length - 1] || 0)} ms (budget ${HEALTHZ_BUDGET_MS} ms)`);
  console.log(`  losses: ${stats.losses}; failed checks: ${stats.failures}`);
  for (const p of problems.slice(0, 20)) console.log(`  - ${p}`);
  return stats.failures === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`crash: ${e.stack || e}`);
  code = 1;
} finally {
  if (!KEEP || code === 0) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`crash: data kept in ${dataDir}`);
  if (pg) {
    try {
      execFileSync('psql', [pg.admin, '-qc', `DROP DATABASE IF EXISTS ${pg.name} WITH (FORCE)`]);
    } catch { /* the cluster may be gone already */ }
  }
}
process.exit(code);
