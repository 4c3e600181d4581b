// The HTTP side of bench/approve (run.sh drives it): prepares submitted cases, then drives
// them through acceptance, review, recheck and approval with
// POST /api/v1/cases/{number}/actions and If-Match, each action by the staff member whose
// role it needs (two different reviewers: law Art. 34).
//
//   node actions.mjs URL ITEM STAFF_JSON CASES SECONDS CONNECTIONS HALF_SECONDS
//
// STAFF_JSON: {"clerk": {login, password, totp_secret}, "reviewer1": …, "reviewer2": …,
// "approver": …} (run.sh creates them with `shenpi staff add`). Measures the actions at
// full load (closed loop of CONNECTIONS clients for SECONDS), then at half that rate (open
// loop for HALF_SECONDS). Prints one JSON line: {prepared, max: {…}, half: {…}}.
import { readFileSync } from 'node:fs';
import { applicantSession, call, drive, formData, runId, signIn, totp } from '../submit/lib.mjs';

const [url, item, staffFile, casesArg, seconds, connections, halfSeconds] = process.argv.slice(2);
const staff = JSON.parse(readFileSync(staffFile, 'utf8'));

const sessions = {};
for (const [who, s] of Object.entries(staff)) {
  sessions[who] = await signIn(url, s.login, s.password, totp(s.totp_secret));
}
const applicant = await applicantSession(url);
const got = await call(url, 'GET', `/api/v1/items/${encodeURIComponent(item)}`);
if (got.status !== 200 || !got.body.form) throw new Error(`item ${item}: ${got.status} ${JSON.stringify(got.body)}`);
const data = process.env.DATA_JSON ? JSON.parse(process.env.DATA_JSON) : formData(got.body.form);

// 1. Submitted cases to act on, made as fast as the server takes them (not measured).
const wanted = Number(casesArg);
const ready = [];  // {number, version, step}
const run = runId();
let made = 0;
const appBody = JSON.stringify({ item, data, submit: true });
const prep = await drive(url, {
  seconds: 600, connections: Number(connections),
  next: () => (made >= wanted ? false : {
    method: 'POST', path: '/api/v1/applications', body: appBody,
    headers: {
      'content-type': 'application/json', cookie: applicant.cookie, 'x-csrf-token': applicant.csrf,
      'idempotency-key': `${run}-${++made}`,
    },
  }),
  done: (req, status, body) => { if (status === 201) ready.push({ number: body.number, version: body.version, step: 0 }); },
});
if (ready.length === 0) throw new Error(`no case could be submitted: ${JSON.stringify(prep.statuses)}`);
const prepared = ready.length;

// 2. The actions, in the order the law has them.
const steps = [
  { who: 'clerk', body: { action: 'accept' } },
  { who: 'reviewer1', body: { action: 'review_opinion', opinion: '申请材料齐全，符合法定形式，经审查符合许可条件，建议准予许可。' } },
  { who: 'reviewer2', body: { action: 'review_opinion', opinion: '经复核，同意审查意见。' } },
  { who: 'approver', body: { action: 'approve', opinion: '准予行政许可。' } },
];
let finished = 0;
const firstErrors = [];
function nextAction() {
  const c = ready.shift();
  if (!c) return null;
  const step = steps[c.step];
  const s = sessions[step.who];
  return {
    c, method: 'POST', path: `/api/v1/cases/${encodeURIComponent(c.number)}/actions`,
    body: JSON.stringify(step.body),
    headers: {
      'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf,
      'if-match': `"${c.version}"`,
    },
  };
}
function actionDone(req, status, body) {
  if (status === 200 && body) {
    req.c.version = body.version;
    req.c.step++;
    if (req.c.step < steps.length) ready.push(req.c); else finished++;
    return;
  }
  // A failed action drops its case (its state is no longer known here).
  if (firstErrors.length < 3) firstErrors.push({ step: steps[req.c.step].body.action, status, body });
}

const max = await drive(url, { seconds: Number(seconds), connections: Number(connections), next: nextAction, done: actionDone });
const rate = Math.max(1, Math.round(max.rps / 2));
const half = await drive(url, {
  seconds: Number(halfSeconds), rate, connections: Number(connections) * 4, next: nextAction, done: actionDone,
});
console.log(JSON.stringify({
  prepared, submitted_per_s: prep.rps, max, half: { ...half, rate }, finished,
  left: ready.length, errors: firstErrors,
}));
