// The HTTP side of bench/soak (run.sh drives it): a mixed load of public page views,
// applications and staff actions, first closed loop to find the maximum rate, then open
// loop at a share of it for a long time, with a row of figures every SAMPLE_SECONDS.
//
//   node soak.mjs URL ITEM STAFF_JSON SERVER_PID OUT_DIR
//
// Settings from the environment (run.sh passes them on): DURATION (seconds of the open-loop
// run), SAMPLE_SECONDS (window length), SHARE (percent of the maximum), PROBE_SECONDS
// (closed-loop run), CONNECTIONS, PREPARE (cases submitted before measuring, so staff have
// work from the first second), MIX ("public,submit,staff" percentages, default 80,12,8),
// DRAIN_SECONDS (how long answers still due at the end are waited for, default 120).
//
// Writes OUT_DIR/windows.jsonl (one JSON line per window), OUT_DIR/probe.json and
// OUT_DIR/result.json ({probe, rate, windows, totals, first_errors}); prints the table.
// Every response is counted: a status other than the one the request expects (200 for a
// page or a read, 201 for a submission, 200 for an action), a socket error or a response
// missing DRAIN_SECONDS after the end is an error.
import http from 'node:http';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { applicantSession, call, formData, runId, signIn, totp } from '../submit/lib.mjs';

const [url, item, staffFile, serverPid, outDir] = process.argv.slice(2);
const env = (name, dflt) => Number(process.env[name] ?? dflt);
const DURATION = env('DURATION', 600);
const SAMPLE = env('SAMPLE_SECONDS', 10);
const SHARE = env('SHARE', 80);
// A fixed rate (req/s) instead of SHARE of the probe's maximum: for comparing two builds
// at the same load, since the probe's figure moves with the build and the machine.
const RATE = env('RATE', 0);
const PROBE = env('PROBE_SECONDS', 90);
const CONNECTIONS = env('CONNECTIONS', 64);
const PREPARE = env('PREPARE', 200);
const DRAIN = env('DRAIN_SECONDS', 120);
const [pPublic, pSubmit] = (process.env.MIX || '80,12,8').split(',').map(Number);

// ---- what a request may be ------------------------------------------------------------

const staff = JSON.parse(readFileSync(staffFile, 'utf8'));
const sessions = {};
for (const [who, s] of Object.entries(staff)) {
  sessions[who] = await signIn(url, s.login, s.password, totp(s.totp_secret));
}
const applicant = await applicantSession(url);
const got = await call(url, 'GET', `/api/v1/items/${encodeURIComponent(item)}`);
if (got.status !== 200 || !got.body.form) throw new Error(`item ${item}: ${got.status} ${JSON.stringify(got.body)}`);
const appBody = JSON.stringify({
  item, data: process.env.DATA_JSON ? JSON.parse(process.env.DATA_JSON) : formData(got.body.form), submit: true,
});
const listed = await call(url, 'GET', '/api/v1/items?page_size=100');
const codes = listed.body.items.map((i) => i.code);
const depts = [...new Set(listed.body.items.map((i) => i.department.code))];
const terms = ['许可', '食品', '建设', '登记', '审批', '证', '潮州', '药品'].map(encodeURIComponent);
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// What a citizen looks at: the home page, the guide search, guides (the busiest), the
// department directory, and the same catalogue through the JSON API.
const publicViews = [
  [10, () => '/'],
  [15, () => `/search?q=${pick(terms)}`],
  [35, () => `/items/${pick(codes)}`],
  [5, () => '/departments'],
  [5, () => `/departments/${pick(depts)}`],
  [15, () => `/api/v1/items?q=${pick(terms)}`],
  [15, () => `/api/v1/items/${pick(codes)}`],
];
const publicWeight = publicViews.reduce((n, [w]) => n + w, 0);
function publicView() {
  let r = Math.random() * publicWeight;
  for (const [w, path] of publicViews) {
    if ((r -= w) < 0) return { kind: 'page', method: 'GET', path: path(), expect: [200] };
  }
  return { kind: 'page', method: 'GET', path: '/', expect: [200] };
}

const run = runId();
let submitted = 0;
// Cases waiting for their next action, one queue per step ({number, version, step}): staff
// take the case furthest along first, so that cases are finished (approved) throughout the
// run instead of all piling up at acceptance.
const ready = [[], [], [], []];
const waiting = () => ready.reduce((n, q) => n + q.length, 0);
function submission() {
  return {
    kind: 'submit', method: 'POST', path: '/api/v1/applications', body: appBody, expect: [201],
    headers: {
      'content-type': 'application/json', cookie: applicant.cookie, 'x-csrf-token': applicant.csrf,
      'idempotency-key': `${run}-${++submitted}`,
    },
  };
}

// A case goes through acceptance, review, recheck by the other reviewer (Art. 34) and
// approval, each action with If-Match of the version the previous answer gave.
const steps = [
  { who: 'clerk', body: { action: 'accept' } },
  { who: 'reviewer1', body: { action: 'review_opinion', opinion: '申请材料齐全，符合法定形式，经审查符合许可条件，建议准予许可。' } },
  { who: 'reviewer2', body: { action: 'review_opinion', opinion: '经复核，同意审查意见。' } },
  { who: 'approver', body: { action: 'approve', opinion: '准予行政许可。' } },
];
let approved = 0;
function staffAction() {
  const queue = [...ready].reverse().find((q) => q.length > 0);
  if (!queue) return submission();  // no case waiting (only before the first submissions)
  const c = queue.shift();
  const s = sessions[steps[c.step].who];
  return {
    kind: 'staff', c, method: 'POST', path: `/api/v1/cases/${encodeURIComponent(c.number)}/actions`,
    body: JSON.stringify(steps[c.step].body), expect: [200],
    headers: {
      'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf, 'if-match': `"${c.version}"`,
    },
  };
}
function nextRequest() {
  const r = Math.random() * 100;
  if (r < pPublic) return publicView();
  if (r < pPublic + pSubmit) return submission();
  return staffAction();
}
function answered(req, status, body) {
  if (req.kind === 'submit' && status === 201 && body) {
    ready[0].push({ number: body.number, version: body.version, step: 0 });
  } else if (req.kind === 'staff' && status === 200 && body) {
    req.c.version = body.version;
    if (++req.c.step < steps.length) ready[req.c.step].push(req.c); else approved++;
  }
}

// ---- the client ---------------------------------------------------------------------------

const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
const firstErrors = [];
let window = null;   // the current window's figures
let inFlight = 0;
// The open loop's requests that are due but wait for a connection (see pump()).
let backlog = [];
let head = 0;

function newWindow() {
  return {
    lat: [], byKind: { page: [], submit: [], staff: [] }, count: 0, errors: 0,
    kinds: { page: 0, submit: 0, staff: 0 }, statuses: {},
  };
}
function failed(req, what) {
  window.errors++;
  if (firstErrors.length < 10) firstErrors.push({ method: req.method, path: req.path, ...what });
}

/** Sends one request; its latency counts from `due` (when it should have been sent). */
function send(req, due) {
  inFlight++;
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => { if (!finished) { finished = true; inFlight--; resolve(); } };
    const r = http.request({
      host: base.hostname, port: base.port, method: req.method, path: req.path, agent,
      headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body || '') },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', () => { failed(req, { error: 'response aborted' }); finish(); });
      res.on('end', () => {
        const ms = performance.now() - due;
        const w = window;
        w.count++;
        w.kinds[req.kind]++;
        w.statuses[res.statusCode] = (w.statuses[res.statusCode] || 0) + 1;
        let body = null;
        if (req.kind !== 'page') {
          try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* not JSON */ }
        }
        if (req.expect.includes(res.statusCode)) {
          w.lat.push(ms);
          w.byKind[req.kind].push(ms);
        } else {
          failed(req, { status: res.statusCode, body: body ?? Buffer.concat(chunks).toString('utf8').slice(0, 200) });
        }
        answered(req, res.statusCode, body);
        finish();
      });
    });
    r.on('error', (e) => { window.count++; failed(req, { error: e.code || e.message }); finish(); });
    r.end(req.body || '');
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}
// The machine's 1-minute load average: on a shared machine it tells a stall of the server
// from a stall of everything.
function load1() {
  try { return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]); } catch { return null; }
}
function rssMb() {
  try {
    const m = readFileSync(`/proc/${serverPid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;  // the server is gone: every request after this fails and is counted
  }
}

// SQLite's page caches, from the server's /metrics (shenpi_db_cache_bytes), sampled
// beside RSS: the caches grow up to their fixed sizes as the database does, so RSS less
// the caches is the figure that shows whether anything else grows.
// With them the WAL's length and its restarts (shenpi_db_wal_frames, _restarts): a WAL
// that stays long means starved checkpoints, and each write then pays for them.
let cacheMbNow = null;
let walMax = 0;
let walRestarts = null;
async function sampleCache() {
  const gauge = (text, name) => {
    const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
    return m ? Number(m[1]) : null;
  };
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const cache = gauge(text, 'shenpi_db_cache_bytes');
    cacheMbNow = cache === null ? null : cache / (1024 * 1024);
    walMax = Math.max(walMax, gauge(text, 'shenpi_db_wal_frames') ?? 0);
    walRestarts = gauge(text, 'shenpi_db_wal_restarts');
  } catch {
    cacheMbNow = null;
  }
}
const cacheTimer = setInterval(sampleCache, 2000);

const rows = [];
let windowStart = 0;
function closeWindow(at) {
  const w = window;
  window = newWindow();
  w.lat.sort((a, b) => a - b);
  const row = {
    t: Math.round((at - runStart) / 1000), seconds: (at - windowStart) / 1000, requests: w.count,
    errors: w.errors, p50: +percentile(w.lat, 0.5).toFixed(2), p99: +percentile(w.lat, 0.99).toFixed(2),
    max: +(w.lat.length ? w.lat[w.lat.length - 1] : 0).toFixed(2), rss_mb: rssMb(), load1: load1(), in_flight: inFlight,
    waiting: backlog.length - head,
    kinds: w.kinds, statuses: w.statuses,
    // Which kind of request a stall hit: public views, submissions (fsync) or actions.
    p99_by_kind: Object.fromEntries(Object.entries(w.byKind).map(([k, v]) => {
      v.sort((a, b) => a - b);
      return [k, +percentile(v, 0.99).toFixed(2)];
    })),
  };
  row.rss_mb = row.rss_mb === null ? null : +row.rss_mb.toFixed(1);
  row.cache_mb = cacheMbNow === null ? null : +cacheMbNow.toFixed(1);
  row.wal_frames_max = walMax;  // the longest WAL sampled in this window
  row.wal_restarts = walRestarts;
  walMax = 0;
  row.rss_less_cache_mb = row.rss_mb === null || row.cache_mb === null ? null
    : +(row.rss_mb - row.cache_mb).toFixed(1);
  windowStart = at;
  rows.push(row);
  appendFileSync(`${outDir}/windows.jsonl`, JSON.stringify(row) + '\n');
  console.log([String(row.t).padStart(6), String(row.requests).padStart(9), String(row.errors).padStart(7),
    row.p50.toFixed(2).padStart(9), row.p99.toFixed(2).padStart(9),
    (row.rss_mb === null ? 'gone' : row.rss_mb.toFixed(1)).padStart(8),
    (row.cache_mb === null ? '?' : row.cache_mb.toFixed(1)).padStart(8), String(row.load1 ?? '?').padStart(6)].join(' '));
}

// 0. Cases for the staff to work on from the first second (not measured).
window = newWindow();
await Promise.all(Array.from({ length: Math.min(PREPARE, 16) }, async (_, lane) => {
  for (let i = lane; i < PREPARE; i += 16) await send(submission(), performance.now());
}));
if (window.errors > 0) throw new Error(`preparing cases failed: ${JSON.stringify(firstErrors)}`);
const prepared = waiting();

// 1. The maximum: a closed loop of CONNECTIONS clients for PROBE seconds.
window = newWindow();
let probeStart = performance.now();
const probeEnd = probeStart + PROBE * 1000;
await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
  while (performance.now() < probeEnd) await send(nextRequest(), performance.now());
}));
const probeSecs = (performance.now() - probeStart) / 1000;
window.lat.sort((a, b) => a - b);
const probe = {
  seconds: +probeSecs.toFixed(2), connections: CONNECTIONS, requests: window.count, errors: window.errors,
  rps: +(window.count / probeSecs).toFixed(1), p50: +percentile(window.lat, 0.5).toFixed(2),
  p99: +percentile(window.lat, 0.99).toFixed(2), kinds: window.kinds, statuses: window.statuses,
};
writeFileSync(`${outDir}/probe.json`, JSON.stringify(probe) + '\n');
const probeErrors = window.errors;
const rate = RATE > 0 ? RATE : Math.max(1, Math.round((probe.rps * SHARE) / 100));
console.log(`prepared ${prepared} cases; maximum (closed loop, ${CONNECTIONS} clients, ${PROBE} s): ` +
  `${probe.rps} req/s, p50 ${probe.p50} ms, p99 ${probe.p99} ms, ${probe.errors} errors`);
console.log(`open loop at ${RATE > 0 ? 'a fixed rate' : `${SHARE}%`} = ${rate} req/s for ${DURATION} s, a row every ${SAMPLE} s ` +
  '(latency from when each request was due; a window holds the answers that arrived in it)');
console.log('     t  requests  errors   p50 ms   p99 ms   RSS MB cache MB   load');

// 2. The soak: an open loop at `rate`. A request is sent when it is due, whether or not the
// earlier ones were answered (at most CONNECTIONS at once; the rest wait in the agent's
// queue, and that wait is part of their latency).
window = newWindow();
const runStart = performance.now();
windowStart = runStart;
const endAt = runStart + DURATION * 1000;
let nextSample = runStart + SAMPLE * 1000;
const interval = 1000 / rate;
const pending = new Set();
// Requests due but waiting for one of the CONNECTIONS: a FIFO of our own, read from `head`.
// (Handing them all to the http agent instead queues them in an array it shifts from the
// front: once a stall leaves a backlog of a few hundred thousand, each send copies the
// whole backlog, the client spends its CPU on that, and a server that could catch up never
// gets the requests.)
function pump() {
  while (inFlight < CONNECTIONS && head < backlog.length) {
    const { req, due: when } = backlog[head];
    backlog[head++] = undefined;
    const p = send(req, when);
    pending.add(p);
    p.then(() => { pending.delete(p); pump(); });
  }
  if (head > 65536 && head * 2 > backlog.length) {
    backlog = backlog.slice(head);
    head = 0;
  }
}
let due = runStart;
let sent = 0;
while (due < endAt) {
  const now = performance.now();
  if (now >= nextSample) { closeWindow(nextSample); nextSample += SAMPLE * 1000; continue; }
  if (due > now) {
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(due, nextSample) - now)));
    continue;
  }
  backlog.push({ req: nextRequest(), due });
  pump();
  sent++;
  due += interval;
}
// Answers still on their way, including requests still queued in the client behind a
// backlog: wait for them (up to DRAIN seconds), then count whatever is missing as errors.
const drainUntil = performance.now() + DRAIN * 1000;
while ((pending.size > 0 || head < backlog.length) && performance.now() < drainUntil) {
  await new Promise((r) => setTimeout(r, 100));
}
const missing = pending.size + (backlog.length - head);
if (missing > 0) {
  window.errors += missing;
  window.count += missing;
  if (firstErrors.length < 10) firstErrors.push({ error: `${missing} requests unanswered ${DRAIN} s after the end` });
}
if (window.count > 0) closeWindow(performance.now());  // the last (partial) window and the drain
agent.destroy();

const totals = {
  sent, answered: rows.reduce((n, r) => n + r.requests, 0) - missing, unanswered: missing, errors: rows.reduce((n, r) => n + r.errors, 0),
  probe_errors: probeErrors, submitted, approved, waiting: waiting(),
};
clearInterval(cacheTimer);
writeFileSync(`${outDir}/result.json`, JSON.stringify({
  url, item, cpus: availableParallelism(), share: RATE > 0 ? null : SHARE, rate, duration: DURATION, sample_seconds: SAMPLE, prepared, probe, totals,
  first_errors: firstErrors, windows: rows,
}, null, 1) + '\n');
console.log(`sent ${sent}, answered ${totals.answered}, errors ${totals.errors} (probe ${probeErrors}); ` +
  `${submitted} applications, ${approved} approved`);
process.exit(totals.errors + probeErrors > 0 ? 1 : 0);
