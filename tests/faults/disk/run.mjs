#!/usr/bin/env node
// Full disk proof (issue 6, REQUIREMENTS Art. 22): runs the real `shenpi serve` with its
// data directory (database, WAL, access log, keys) on a 16 MiB tmpfs, fills the
// filesystem to the last byte and checks that:
//
//   - writes (applications, uploads, sign-ins) are refused with 503 and the Chinese
//     message of the disk_full error, never a 500 or a hang; a write that still fits in
//     space SQLite already holds may succeed, and then it must be there like any other;
//   - reads keep working: the applicant's case, the catalogue page, /healthz;
//   - nothing is half-written: the applicant's cases are exactly those answered 201, the
//     database passes `PRAGMA integrity_check`, `shenpi audit verify` passes;
//   - once space is freed, writes succeed again by themselves, without a restart.
//
// Mounting needs root (CAP_SYS_ADMIN): otherwise it prints SKIP and exits 77 (ctest: skipped).
// Usage: SHENPI_BIN=build/shenpi node tests/faults/disk/run.mjs
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOOD_LICENCE, citizenId, foodLicenceData, tinyPdf } from '../../http/case_helpers.mjs';
import { BIN } from '../../http/server.mjs';

const DISK_FULL_MESSAGE = '存储空间已满';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;
function check(ok, message) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures++;
}

if (process.getuid && process.getuid() !== 0) {
  console.log('disk: SKIP: mounting a size-capped tmpfs needs root');
  process.exit(77);
}
const mountPoint = mkdtempSync(join(tmpdir(), 'shenpi-disk-'));
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (e) {
  console.log(`disk: SKIP: cannot mount a tmpfs here (${(e.stderr || e.message).toString().trim()})`);
  rmdirSync(mountPoint);
  process.exit(77);
}
const dataDir = join(mountPoint, 'data');
const filler = join(mountPoint, 'filler');

/** Writes `filler` until the filesystem refuses another byte; returns the bytes written. */
function fillDisk() {
  const fd = openSync(filler, 'a');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (e) {
          if (e.code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

async function startServer() {
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--demo'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return { url: `http://127.0.0.1:${port}`, proc, exited, stderr: () => stderr };
}

/** One call with a deadline (a full disk must not make the server hang). */
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
    const res = await fetch(url + path, { method, headers: h, body, signal: AbortSignal.timeout(15000) });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* HTML or empty */ }
    return { status: res.status, body: parsed, ms: performance.now() - t0 };
  } catch (e) {
    return { status: 0, body: String(e), ms: performance.now() - t0 };
  }
}

async function signIn(url, who) {
  return call(url, null, 'POST', '/api/v1/session', { json: { login: who.login, password: who.password, totp: '' } });
}

/** Uploads a PDF of about `kib` KiB; resolves to the answer (body.id on 201). */
async function upload(url, who, label, kib) {
  const form = new FormData();
  const pdf = Buffer.concat([tinyPdf(label), Buffer.alloc(kib * 1024, 0x20)]);
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), `${label}.pdf`);
  return call(url, who, 'POST', '/api/v1/uploads', { form });
}

/** Files an application with a material uploaded before, or uploaded now. */
async function apply(url, who, label, kib = 64, uploadId = null) {
  if (!uploadId) {
    const up = await upload(url, who, label, kib);
    if (up.status !== 201) return { stage: 'upload', ...up };
    uploadId = up.body.id;
  }
  const r = await call(url, who, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': `disk-${label}` },
    json: { item: FOOD_LICENCE, data: foodLicenceData(uploadId), submit: true },
  });
  return { stage: 'application', ...r };
}

async function myCases(url, who) {
  const r = await call(url, who, 'GET', '/api/v1/cases?mine=1&limit=200');
  return r.status === 200 ? r.body.cases.map((c) => c.number).sort() : null;
}

/** True when an answer is the clean refusal a full disk should give. */
const isDiskFull = (r) => r.status === 503 && typeof r.body === 'object' &&
  String(r.body?.error?.message || '').includes(DISK_FULL_MESSAGE);

async function main() {
  console.log(`disk: data on a 16 MiB tmpfs at ${mountPoint}`);
  const srv = await startServer();
  try {
    const who = { login: citizenId('44510219900307', '201'), password: 'disk applicant passphrase' };
    const reg = await call(srv.url, null, 'POST', '/api/v1/accounts', {
      json: { kind: 'person', name: '磁盘测试', id_number: who.login, mobile: '13812345678', password: who.password },
    });
    check(reg.status === 201, `an applicant registers (${reg.status})`);
    Object.assign(who, await sessionOf(srv.url, who));

    const first = await apply(srv.url, who, 'before');
    check(first.status === 201, `an application is filed while there is space (${first.status})`);
    const filed = first.status === 201 ? [first.body.number] : [];

    // Materials uploaded while there is space, so that filing itself meets the full disk.
    const ready = [];
    for (let i = 0; i < 6; i++) {
      const up = await upload(srv.url, who, `ready-${i}`, 8);
      if (up.status === 201) ready.push(up.body.id);
    }
    const filledBytes = fillDisk();
    console.log(`disk: filled with ${(filledBytes / 1048576).toFixed(1)} MiB; df: ${dfLine()}`);

    // Writes: each refused cleanly; a write SQLite can still fit in the space it holds may
    // pass, so keep writing until one is refused, and the passing ones count as filed.
    let refused = 0;
    const bad = [];
    for (let i = 0; i < 20 && refused < 3; i++) {
      const r = await apply(srv.url, who, `full-${i}`, 256, ready.shift());
      if (r.status === 201) filed.push(r.body.number);
      else if (isDiskFull(r)) {
        if (++refused === 1) console.log(`disk: first refusal (${r.stage}): ${r.status} ${JSON.stringify(r.body)}`);
      }
      else bad.push(`${r.stage}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      if (r.ms > 10000) bad.push(`${r.stage} took ${Math.round(r.ms)} ms`);
    }
    check(refused >= 3, `writes on the full disk are refused with 503 "${DISK_FULL_MESSAGE}…" (${refused} refused)`);
    check(bad.length === 0, `no other answer (500, hang) on the full disk${bad.length ? ': ' + bad.join('; ') : ''}`);
    const login = await signIn(srv.url, who);
    check(login.status === 200 || isDiskFull(login), `a sign-in on the full disk is 200 or a clean 503 (${login.status})`);

    // Reads.
    if (filed.length) {
      const c = await call(srv.url, who, 'GET', `/api/v1/cases/${filed[0]}`);
      check(c.status === 200 && c.body.number === filed[0], `the applicant reads a case on the full disk (${c.status})`);
    }
    const page = await call(srv.url, null, 'GET', '/');
    check(page.status === 200, `the public home page is served on the full disk (${page.status})`);
    const health = await call(srv.url, null, 'GET', '/healthz');
    console.log(`disk: /healthz on the full disk: ${health.status} ${JSON.stringify(health.body)}`);
    const listed = await myCases(srv.url, who);
    check(JSON.stringify(listed) === JSON.stringify([...filed].sort()),
      `the applicant's cases are exactly the ${filed.length} answered 201 (listed: ${listed?.length})`);

    // Free the space: writing resumes by itself.
    rmSync(filler);
    let resumed = null;
    const t0 = performance.now();
    for (let i = 0; i < 50 && !resumed; i++) {
      const r = await apply(srv.url, who, `after-${i}`);
      if (r.status === 201) { resumed = r; filed.push(r.body.number); } else await sleep(100);
    }
    check(resumed !== null, `writing resumes without a restart once space is freed (${Math.round(performance.now() - t0)} ms)`);
    const again = await myCases(srv.url, who);
    check(JSON.stringify(again) === JSON.stringify([...filed].sort()), `after freeing space the cases are exactly those answered 201`);
    for (const n of filed) {
      const c = await call(srv.url, who, 'GET', `/api/v1/cases/${n}`);
      if (c.status !== 200 || !c.body.events?.length) check(false, `case ${n} is whole (${c.status})`);
    }
  } finally {
    srv.proc.kill('SIGTERM');
    const end = await srv.exited;
    check(end.code === 0, `the server stops cleanly after all that (${end.code ?? end.signal})`);
  }
  const integrity = execFileSync('sqlite3', [join(dataDir, 'shenpi.db'), 'PRAGMA integrity_check']).toString().trim();
  check(integrity === 'ok', `PRAGMA integrity_check: ${integrity.slice(0, 200)}`);
  let verify;
  try {
    verify = execFileSync(BIN, ['audit', 'verify', '--data', dataDir]).toString().trim();
  } catch (e) {
    verify = `${e.stdout || ''}${e.stderr || ''}`.trim();
  }
  check(verify.startsWith('ok:'), `shenpi audit verify: ${verify}`);
}

async function sessionOf(url, who) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: who.login, password: who.password, totp: '' }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${JSON.stringify(body)}`);
  return { cookie: res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0], csrf: body.csrf_token };
}

function dfLine() {
  try {
    return execFileSync('df', ['-k', mountPoint]).toString().trim().split('\n').pop().replace(/\s+/g, ' ');
  } catch {
    return '?';
  }
}

let code = 1;
try {
  await main();
  code = failures === 0 ? 0 : 1;
} catch (e) {
  console.error(`disk: ${e.stack || e}`);
} finally {
  try { execFileSync('umount', [mountPoint]); } catch { execFileSync('umount', ['-l', mountPoint]); }
  rmdirSync(mountPoint);
}
console.log(`disk: ${code === 0 ? 'PASS' : `FAIL (${failures} failed checks)`}`);
process.exit(code);
