// Performance figures (绩效评估) against the real binary: three food licence applications
// driven through the API on days set with `serve --today` in November 2026 (no holidays;
// the item's promised limit is 5 working days), then the figures checked by hand:
//   A  filed and accepted Mon 11-02, approved Thu 11-05: 3 working days, on time;
//   B  filed and accepted Mon 11-02, approved Wed 11-11: 7 working days, due 11-09, late;
//   C  filed Thu 11-05, never accepted.
// So for the city, 市场监管局 and 食品经营许可 alike: received 3, accepted 2, decided 2
// (both approved), on time 1, late 1, average 5.0 days, 90th percentile 7.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, pdfText } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, actNow, uploadPdf,
  foodLicenceData, citizenId, startOn, download,
} from './case_helpers.mjs';

const JCJ = '445100-JCJ';  // 潮州市监察局 (the supervision bureau)
const NOVEMBER = '/api/v1/performance?from=2026-11-01&to=2026-11-30';

let srv;
let dir;
const staff = {};
let applicant;
// Sessions live in the database and outlive a restart; staff sign in once (a one-time
// password may not be used twice).
const s = {};

async function day(today) {
  await srv.stop();
  srv = await startOn(dir, ['--today', today, '--supervise-every', '0']);
}

async function fileCase(session) {
  const upload = await uploadPdf(srv, session);
  const r = await api(srv, session, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.number;
}

async function approve(number) {
  await actNow(srv, s.reviewerA, number, 'review_opinion', { opinion: '材料齐全，符合法定条件', agree: true });
  await actNow(srv, s.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
  await actNow(srv, s.approver, number, 'approve');
}

const expected = {
  received: 3, accepted: 2, decided: 2, approved: 2, on_time: 1, late: 1, on_time_rate: 0.5,
  average_days: 5, p90_days: 7, suspensions: 0, extensions: 0, warnings: 0, complaints_upheld: 0,
};

function assertFigures(f, what) {
  for (const [k, v] of Object.entries(expected)) assert.equal(f[k], v, `${what}.${k}`);
}

before(async () => {
  srv = await startOn(null, ['--today', '2026-11-02', '--supervise-every', '0']);
  dir = srv.dataDir;
  staff.clerk = addStaff(srv, 'pf_clerk', SCJGJ, 'clerk');
  staff.reviewerA = addStaff(srv, 'pf_review_a', SCJGJ, 'reviewer');
  staff.reviewerB = addStaff(srv, 'pf_review_b', SCJGJ, 'reviewer');
  staff.approver = addStaff(srv, 'pf_approver', SCJGJ, 'approver');
  staff.lead = addStaff(srv, 'pf_lead', SCJGJ, 'business_lead');
  staff.bureau = addStaff(srv, 'pf_supervisor', JCJ, 'supervisor');
  staff.otherLead = addStaff(srv, 'pf_cg_lead', CGZFJ, 'business_lead');
  applicant = await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明');
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  s.applicant = await signIn(srv, applicant);

  const a = await fileCase(s.applicant);
  const b = await fileCase(s.applicant);
  await actNow(srv, s.clerk, a, 'accept');
  await actNow(srv, s.clerk, b, 'accept');
  await day('2026-11-05');
  await approve(a);
  await fileCase(s.applicant);
  await day('2026-11-11');
  await approve(b);
  await day('2026-11-30');
});

after(async () => {
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the supervision bureau sees the city, the department and the item, as counted by hand', async () => {
  const r = await api(srv, s.bureau, 'GET', NOVEMBER);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.city_wide, true);
  assertFigures(r.body.city, 'city');
  assert.deepEqual(r.body.departments.map((d) => d.department), [SCJGJ]);
  assert.equal(r.body.departments[0].department_name, '潮州市市场监督管理局');
  assertFigures(r.body.departments[0].figures, 'department');
  assert.deepEqual(r.body.items.map((i) => i.item), [FOOD_LICENCE]);
  assert.equal(r.body.items[0].item_name, '食品经营许可');
  assertFigures(r.body.items[0].figures, 'item');

  // October had none of it; a period of the first two days only A and B received.
  const oct = await api(srv, s.bureau, 'GET', '/api/v1/performance?from=2026-10-01&to=2026-10-31');
  assert.equal(oct.body.city.received, 0);
  assert.deepEqual(oct.body.departments, []);
  const early = await api(srv, s.bureau, 'GET', '/api/v1/performance?from=2026-11-01&to=2026-11-02');
  assert.equal(early.body.city.received, 2);
  assert.equal(early.body.city.decided, 0);

  for (const q of ['from=2026-11-31&to=2026-12-01', 'from=2026-11-10&to=2026-11-01',
    'from=2025-01-01&to=2026-11-30', 'to=2026-11-30']) {
    const bad = await api(srv, s.bureau, 'GET', `/api/v1/performance?${q}`);
    assert.equal(bad.status, 400, q);
  }
});

test('a business lead sees their own department only; clerks and applicants are refused', async () => {
  const r = await api(srv, s.lead, 'GET', NOVEMBER);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.city, null);
  assertFigures(r.body.departments[0].figures, 'department');
  assert.equal((await api(srv, s.lead, 'GET', `${NOVEMBER}&dept=${CGZFJ}`)).status, 403);

  const none = await api(srv, s.otherLead, 'GET', NOVEMBER);
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.departments, []);

  assert.equal((await api(srv, s.clerk, 'GET', NOVEMBER)).status, 403);
  assert.equal((await api(srv, s.applicant, 'GET', NOVEMBER)).status, 403);
  assert.equal((await api(srv, null, 'GET', NOVEMBER)).status, 401);
});

test('the page: one sortable table of departments, the items of each, in Chinese', async () => {
  const res = await fetch(`${srv.url}/supervision/performance?from=2026-11-01&to=2026-11-30&sort=late&order=desc`,
    { headers: { cookie: s.bureau.cookie }, redirect: 'manual' });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<html lang="zh-CN"/);
  assert.match(html, /绩效评估/);
  assert.match(html, /aria-sort="descending"/);
  assert.match(html, /潮州市市场监督管理局：各事项/);
  assert.match(html, /<th scope="row">食品经营许可<\/th><td>3<\/td><td>2<\/td><td>2<\/td><td>1<\/td><td>1<\/td><td>50\.0%<\/td><td>5\.0<\/td><td>7<\/td>/);

  const anon = await fetch(`${srv.url}/supervision/performance`, { redirect: 'manual' });
  assert.equal(anon.status, 303);
});

test('the monthly report as PDF, from the page and from the command line', async () => {
  const r = await download(srv, s.bureau, '/supervision/performance/report.pdf?month=2026-11');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const text = pdfText(r.bytes).replace(/\s+/g, '');
  assert.match(text, /潮州市网上行政审批绩效月报（2026年11月）/);
  assert.match(text, /本期全市共收件3件，受理2件，办结2件（准予许可2件），其中按时办结1件、超期办结1件/);
  assert.match(text, /平均用时5\.0个工作日，90%的办件在7个工作日内办结/);
  assert.match(text, /潮州市市场监督管理局/);

  assert.equal((await download(srv, s.lead, '/supervision/performance/report.pdf?month=2026-11')).status, 403);
  assert.equal((await download(srv, s.bureau, '/supervision/performance/report.pdf?month=2026-13')).status, 400);

  await srv.stop();
  const out = join(dir, 'report-2026-11.pdf');
  const said = execFileSync(BIN, ['report', 'monthly', '--month', '2026-11', '--out', out, '--data', dir]).toString();
  assert.match(said, /^report 2026-11: 1 departments, 1 items/);
  assert.match(pdfText(readFileSync(out)).replace(/\s+/g, ''), /本期全市共收件3件/);
  srv = await startOn(dir, ['--today', '2026-11-30', '--supervise-every', '0']);
});
