#!/usr/bin/env node
// Dead database proof (issue 6, REQUIREMENTS Art. 22): runs the real `shenpi serve` on a
// PostgreSQL cluster of its own (never the shared one of scripts/with-postgres.sh, which
// other suites use at the same time), stops PostgreSQL with `pg_ctl stop -m immediate`
// (as a crash would) in the middle of a stream of applications, and checks that:
//
//   - while it is down, writes and reads fail fast (under 3 s) with 503 and a Chinese
//     message, never a 500 or a hang; /healthz answers 503 and says the database is why;
//   - once PostgreSQL is back on the same address, the same server process answers
//     /healthz with 200 and accepts applications again by itself (no restart);
//   - every application answered 201, before or after the outage, is there.
//
// Skips (exit 77, ctest: skipped) when PostgreSQL 15 is not installed.
// Usage: SHENPI_BIN=build/shenpi node tests/faults/deadpg/run.mjs
import { spawn, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { FOOD_LICENCE, citizenId, foodLicenceData, tinyPdf } from '../../http/case_helpers.mjs';
import { BIN } from '../../http/server.mjs';

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const FAIL_FAST_MS = 3000;
const RESUME_BUDGET_MS = 15000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;
function check(ok, message) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures++;
}

if (!existsSync(join(PG_BIN, 'initdb'))) {
  console.log(`deadpg: SKIP: PostgreSQL 15 is not installed (${PG_BIN})`);
  process.exit(77);
}

const root = process.getuid && process.getuid() === 0;
const dir = mkdtempSync(join(tmpdir(), 'shenpi-deadpg-'));
const pgData = join(dir, 'pg');
const dataDir = join(dir, 'shenpi');
let pgRunning = false;
let port = 0;

/** Runs a PostgreSQL tool as the cluster's owner (PostgreSQL refuses to run as root). */
function asOwner(tool, args) {
  const cmd = join(PG_BIN, tool);
  return root
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' });
}

function portFree(p) {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false))
      .once('listening', () => srv.close(() => resolve(true))).listen(p, '127.0.0.1');
  });
}

function pgStart() {
  asOwner('pg_ctl', ['-D', pgData, '-l', join(dir, 'pg.log'), '-w', '-t', '30',
    '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`, 'start']);
  pgRunning = true;
}

function pgStop(mode) {
  asOwner('pg_ctl', ['-D', pgData, '-m', mode, '-w', 'stop']);
  pgRunning = false;
}

async function setUpCluster() {
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()),
    Number(execFileSync('id', ['-g', 'postgres']).toString()));
  asOwner('initdb', ['-D', pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  // Another suite's cluster may take 54329 and up; start from elsewhere.
  for (let p = 55329; p < 55429; p++) {
    if (!(await portFree(p))) continue;
    port = p;
    try {
      pgStart();
      return;
    } catch { /* taken in between: try the next */ }
  }
  throw new Error('no free port for PostgreSQL');
}

async function startServer(dbUrl) {
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--access-log', 'off', '--demo',
    '--db', dbUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const p = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return { url: `http://127.0.0.1:${p}`, proc, exited, stderr: () => stderr };
}

async function call(url, who, method, path, { json, form, headers = {} } = {}) {
  const h = { accept: 'application/json', ...headers };
  if (who) {
    h.cookie = who.cookie;
    if (method !== 'GET') h['x-csrf-token'] = who.csrf;
  }
  let body = form;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const t0 = performance.now();
  try {
    const res = await fetch(url + path, { method, headers: h, body, signal: AbortSignal.timeout(20000) });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, ms: performance.now() - t0 };
  } catch (e) {
    return { status: 0, body: String(e), ms: performance.now() - t0 };
  }
}

async function apply(url, who, label) {
  const form = new FormData();
  form.append('file', new Blob([tinyPdf(label)], { type: 'application/pdf' }), `${label}.pdf`);
  const up = await call(url, who, 'POST', '/api/v1/uploads', { form });
  if (up.status !== 201) return { stage: 'upload', ...up };
  const r = await call(url, who, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': `deadpg-${label}` },
    json: { item: FOOD_LICENCE, data: foodLicenceData(up.body.id), submit: true },
  });
  return { stage: 'application', ...r, ms: up.ms + r.ms };
}

/** A clean refusal for a dead database: 503 with a message, quickly. */
const isClean503 = (r) => r.status === 503 && typeof r.body === 'object' && !!r.body?.error?.message &&
  r.ms < FAIL_FAST_MS;

async function main() {
  await setUpCluster();
  const dbUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  console.log(`deadpg: PostgreSQL on 127.0.0.1:${port} (${pgData})`);
  const srv = await startServer(dbUrl);
  const filed = [];
  try {
    const who = { login: citizenId('44510219900307', '301'), password: 'deadpg applicant passphrase' };
    const reg = await call(srv.url, null, 'POST', '/api/v1/accounts', {
      json: { kind: 'person', name: '数据库测试', id_number: who.login, mobile: '13812345678', password: who.password },
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    const res = await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: who.login, password: who.password, totp: '' }),
    });
    who.cookie = res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
    who.csrf = (await res.json()).csrf_token;

    // A stream of applications from two clients, through the outage and after it.
    const stream = { stop: false, answers: [] };
    let seq = 0;
    const client = async () => {
      while (!stream.stop) {
        const r = await apply(srv.url, who, `load-${++seq}`);
        stream.answers.push({ at: performance.now(), up: pgRunning, ...r });
        if (r.status === 201) filed.push(r.body.number);
        else await sleep(50);
      }
    };
    const clients = [client(), client()];
    await sleep(1000);
    const before = filed.length;
    check(before > 0, `applications are filed before the outage (${before})`);

    pgStop('immediate');
    const downAt = performance.now();
    console.log('deadpg: PostgreSQL stopped (immediate)');
    await sleep(300);
    const health = await call(srv.url, null, 'GET', '/healthz');
    check(health.status === 503 && health.body?.status === 'unavailable' && /数据库/.test(health.body?.database || ''),
      `/healthz answers 503 and says why: ${health.status} ${JSON.stringify(health.body)}`);
    const read = await call(srv.url, who, 'GET', `/api/v1/cases/${filed[0]}`);
    check(isClean503(read), `reading a case fails fast with 503 (${read.status} in ${Math.round(read.ms)} ms: ${JSON.stringify(read.body).slice(0, 120)})`);
    const write = await apply(srv.url, who, 'while-down');
    check(isClean503(write), `filing fails fast with 503 (${write.stage}: ${write.status} in ${Math.round(write.ms)} ms)`);
    const page = await call(srv.url, null, 'GET', '/api/v1/items?q=食品');
    check(page.status === 503 || page.status === 200, `the catalogue search answers 503 or from its cache (${page.status})`);
    await sleep(1500);

    pgStart();
    const upAt = performance.now();
    console.log(`deadpg: PostgreSQL back after ${Math.round(upAt - downAt)} ms`);
    let healthyMs = null;
    while (performance.now() - upAt < RESUME_BUDGET_MS) {
      const h = await call(srv.url, null, 'GET', '/healthz');
      if (h.status === 200) { healthyMs = performance.now() - upAt; break; }
      await sleep(100);
    }
    check(healthyMs !== null, `/healthz is 200 again without a restart (${Math.round(healthyMs ?? -1)} ms after PostgreSQL)`);
    const countAtUp = filed.length;
    while (filed.length === countAtUp && performance.now() - upAt < RESUME_BUDGET_MS) await sleep(100);
    check(filed.length > countAtUp, `applications are filed again without a restart (${Math.round(performance.now() - upAt)} ms)`);
    await sleep(500);
    stream.stop = true;
    await Promise.all(clients);

    const during = stream.answers.filter((a) => a.at > downAt + 200 && a.at < upAt);
    const unclean = during.filter((a) => a.status !== 503);
    check(during.length > 0 && unclean.length === 0,
      `every answer to the load while down was 503 (${during.length} answers${unclean.length ? `; others: ${unclean.map((a) => `${a.stage} ${a.status}`).join(', ')}` : ''})`);
    const slow = during.filter((a) => a.ms > FAIL_FAST_MS);
    check(slow.length === 0, `each of them came within ${FAIL_FAST_MS} ms (slowest ${Math.round(Math.max(0, ...during.map((a) => a.ms)))} ms)`);
    const servererrors = stream.answers.filter((a) => a.status >= 500 && a.status !== 503);
    check(servererrors.length === 0, `no 500 at any time (${servererrors.length})`);

    let missing = 0;
    for (const n of filed) {
      const c = await call(srv.url, who, 'GET', `/api/v1/cases/${n}`);
      if (c.status !== 200) missing++;
    }
    check(missing === 0, `all ${filed.length} applications answered 201 are there (${missing} missing)`);
  } finally {
    srv.proc.kill('SIGTERM');
    await srv.exited;
  }
}

let code = 1;
try {
  await main();
  code = failures === 0 ? 0 : 1;
} catch (e) {
  console.error(`deadpg: ${e.stack || e}`);
} finally {
  try {
    if (pgRunning) pgStop('fast');
  } catch { /* already down */ }
  rmSync(dir, { recursive: true, force: true });
}
console.log(`deadpg: ${code === 0 ? 'PASS' : `FAIL (${failures} failed checks)`}`);
process.exit(code);
