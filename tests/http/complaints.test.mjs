// Complaints (投诉, Art. 13) and ratings (好差评) over HTTP against the real binary (SQLite,
// demo data). Complaints: filed by anyone, followed with a tracking code, handled by the
// supervision bureau and never shown to the department complained about; complaints about
// a person hidden from the centre. Ratings: the applicant of a delivered case rates it
// once; a 差评 opens a follow-up for the department's business lead, with callback,
// appeal to the centre and the centre's decision; the default rating after the window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import {
  SCJGJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, actNow, uploadPdf, foodLicenceData,
  citizenId, startOn, serveHasToday,
} from './case_helpers.mjs';

const JCJ = '445100-JCJ';  // 潮州市监察局
const CENTRE = '445100-XZFWZX';  // 潮州市行政服务中心

let srv;
const s = {};
before(async () => {
  srv = await startServer();
  const staff = {
    supervisor: addStaff(srv, 'jc_wang', JCJ, 'supervisor'),
    supervisor2: addStaff(srv, 'jc_li', JCJ, 'supervisor'),
    centre: addStaff(srv, 'zx_admin', CENTRE, 'centre_admin'),
    clerk: addStaff(srv, 'sj_clerk', SCJGJ, 'clerk'),
    reviewerA: addStaff(srv, 'sj_rev_a', SCJGJ, 'reviewer'),
    reviewerB: addStaff(srv, 'sj_rev_b', SCJGJ, 'reviewer'),
    approver: addStaff(srv, 'sj_appr', SCJGJ, 'approver'),
    lead: addStaff(srv, 'sj_lead', SCJGJ, 'business_lead'),
  };
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  s.applicant = await signIn(srv, await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明'));
  s.other = await signIn(srv, await registerPerson(srv, citizenId('44510219920512', '456'), '林小红'));
});
after(async () => { await srv.stop(); });

const complaint = (over = {}) => ({
  subject: 'department', department: SCJGJ, content: '窗口要求提供清单以外的材料，往返三次。',
  contact_name: '张三', contact_phone: '138 0013 8000', ...over,
});

async function deliveredCase(server = srv, sessions = s) {
  const upload = await uploadPdf(server, sessions.applicant);
  const filed = await api(server, sessions.applicant, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const { number } = filed.body;
  await actNow(server, sessions.clerk, number, 'accept');
  await actNow(server, sessions.reviewerA, number, 'review_opinion', { opinion: '符合条件', agree: true });
  await actNow(server, sessions.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
  await actNow(server, sessions.approver, number, 'approve');
  await actNow(server, sessions.clerk, number, 'deliver');
  return number;
}

test('an anonymous complaint: filed, followed with its code, handled by the bureau, confirmed', async () => {
  const filed = await api(srv, null, 'POST', '/api/v1/complaints', { json: complaint() });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const { number, tracking_code: code } = filed.body;
  assert.match(number, /^TS\d{8}\d{5}$/);
  assert.match(code, /^[A-HJ-NP-Z2-9]{10}$/);
  assert.match(filed.body.due_on, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(filed.headers.get('cache-control'), 'no-store');

  // Without the code nobody learns it exists; with it (typed in any case), the complainant
  // sees it. The code travels in a POST body, never in a URL.
  const track = (c) => api(srv, null, 'POST', '/api/v1/complaints/track', { json: { number, tracking_code: c } });
  assert.equal((await api(srv, null, 'GET', `/api/v1/complaints/${number}`)).status, 401);
  assert.equal((await api(srv, s.other, 'GET', `/api/v1/complaints/${number}`)).status, 404);
  assert.equal((await track('WRONGCODE2')).status, 404);
  assert.equal((await track('')).status, 404);
  let mine = await track(code.toLowerCase());
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.state, 'submitted');
  assert.equal(mine.body.department_name, '潮州市市场监督管理局');
  assert.equal(mine.body.contact_phone, '13800138000');

  // The department complained about never sees it; the bureau does.
  for (const who of [s.clerk, s.lead]) {
    assert.equal((await api(srv, who, 'GET', `/api/v1/complaints/${number}`)).status, 404);
    const list = await api(srv, who, 'GET', '/api/v1/complaints');
    assert.ok(!list.body.complaints.some((c) => c.number === number), 'not in the department list');
  }
  const listed = await api(srv, s.supervisor, 'GET', '/api/v1/complaints?state=submitted');
  assert.ok(listed.body.complaints.some((c) => c.number === number));

  // Assign (only to a supervisor), answer (only the assignee), confirm (the complainant).
  let c = (await api(srv, s.supervisor, 'GET', `/api/v1/complaints/${number}`)).body;
  assert.deepEqual(c.allowed_actions, ['assign']);
  const toClerk = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'assign', version: c.version, assignee_id: s.clerk.account.id },
  });
  assert.equal(toClerk.status, 400);
  assert.equal(toClerk.body.error.field, 'assignee_id');
  const assigned = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'assign', version: c.version, assignee_id: s.supervisor.account.id },
  });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  assert.equal(assigned.body.state, 'investigating');
  const stale = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'answer', version: c.version, outcome: 'upheld', findings: 'x', answer: 'y' },
  });
  assert.equal(stale.status, 412);
  c = assigned.body;
  const notMine = await api(srv, s.supervisor2, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'answer', version: c.version, outcome: 'upheld', findings: 'x', answer: 'y' },
  });
  assert.equal(notMine.status, 403);
  const noAnswer = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'answer', version: c.version, outcome: 'upheld', findings: '调阅录像属实' },
  });
  assert.equal(noAnswer.status, 400);
  assert.equal(noAnswer.body.error.field, 'answer');
  const answered = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'answer', version: c.version, outcome: 'partly_upheld', findings: '调阅录像属实', answer: '已责令整改。' },
  });
  assert.equal(answered.status, 200, JSON.stringify(answered.body));

  // The complainant reads the answer but not the bureau's findings.
  mine = await track(code);
  assert.equal(mine.body.state, 'answered');
  assert.equal(mine.body.outcome, 'partly_upheld');
  assert.equal(mine.body.answer, '已责令整改。');
  assert.equal(mine.body.findings, '');
  assert.deepEqual(mine.body.allowed_actions, ['confirm', 'dispute']);
  const bureauConfirms = await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'confirm', version: mine.body.version },
  });
  assert.equal(bureauConfirms.status, 403);
  const confirmed = await api(srv, null, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'confirm', version: mine.body.version, tracking_code: code },
  });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.state, 'confirmed');
  assert.deepEqual(confirmed.body.events.map((e) => e.action), ['created', 'assign', 'answer', 'confirm']);
});

test('a dispute goes back to the bureau; a signed-in complainant follows it in their account', async () => {
  const filed = await api(srv, s.applicant, 'POST', '/api/v1/complaints', { json: complaint() });
  assert.equal(filed.status, 201);
  const { number } = filed.body;
  const own = await api(srv, s.applicant, 'GET', '/api/v1/complaints');
  assert.deepEqual(own.body.complaints.map((c) => c.number), [number]);
  assert.equal((await api(srv, s.other, 'GET', `/api/v1/complaints/${number}`)).status, 404);

  let c = (await api(srv, s.supervisor, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'assign', version: 1, assignee_id: s.supervisor2.account.id },
  })).body;
  c = (await api(srv, s.supervisor2, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'answer', version: c.version, outcome: 'not_upheld', findings: '无违规', answer: '经查不属实。' },
  })).body;
  const noReason = await api(srv, s.applicant, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'dispute', version: c.version },
  });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.field, 'note');
  const disputed = await api(srv, s.applicant, 'POST', `/api/v1/complaints/${number}/actions`, {
    json: { action: 'dispute', version: c.version, note: '当日确有此事，请调阅录像。' },
  });
  assert.equal(disputed.status, 200, JSON.stringify(disputed.body));
  assert.equal(disputed.body.state, 'disputed');
  const bureau = await api(srv, s.supervisor, 'GET', `/api/v1/complaints/${number}`);
  assert.deepEqual(bureau.body.allowed_actions, ['assign']);
});

test('complaints about a person are for the bureau only; the centre sees the others', async () => {
  const person = await api(srv, null, 'POST', '/api/v1/complaints', {
    json: complaint({ subject: 'staff', staff_name: '工号 0231', department: SCJGJ }),
  });
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const dept = await api(srv, null, 'POST', '/api/v1/complaints', { json: complaint() });
  assert.equal((await api(srv, s.centre, 'GET', `/api/v1/complaints/${person.body.number}`)).status, 404);
  const seen = await api(srv, s.centre, 'GET', `/api/v1/complaints/${dept.body.number}`);
  assert.equal(seen.status, 200);
  assert.match(seen.body.contact_phone, /\*/, 'the centre reads the phone masked');
  const list = await api(srv, s.centre, 'GET', '/api/v1/complaints');
  assert.ok(list.body.complaints.every((c) => c.subject !== 'staff'));
  assert.equal((await api(srv, s.supervisor, 'GET', `/api/v1/complaints/${person.body.number}`)).status, 200);
});

test('complaint input errors name the field', async () => {
  const cases = [
    [{ contact_phone: '' }, 'contact_phone'],
    [{ contact_phone: '12345' }, 'contact_phone'],
    [{ content: '  ' }, 'content'],
    [{ subject: 'weather' }, 'subject'],
    [{ department: '445100-NOPE' }, 'department'],
    [{ subject: 'case', case_number: '4451009999999999999' }, 'case_number'],
  ];
  for (const [over, field] of cases) {
    const r = await api(srv, null, 'POST', '/api/v1/complaints', { json: complaint(over) });
    assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field);
  }
});

test('ratings: the applicant rates once; a 差评 goes to the business lead, who appeals; the centre decides', async () => {
  const number = await deliveredCase();
  let view = await api(srv, s.applicant, 'GET', `/api/v1/cases/${number}/rating`);
  assert.equal(view.status, 200, JSON.stringify(view.body));
  assert.equal(view.body.rating, null);
  assert.equal(view.body.can_rate, true);
  assert.equal((await api(srv, s.other, 'GET', `/api/v1/cases/${number}/rating`)).status, 404);
  const badLevel = await api(srv, s.applicant, 'POST', `/api/v1/cases/${number}/rating`, { json: { level: 'meh' } });
  assert.equal(badLevel.status, 400);
  assert.equal(badLevel.body.error.field, 'level');

  const rated = await api(srv, s.applicant, 'POST', `/api/v1/cases/${number}/rating`, {
    json: { level: 'dissatisfied', comment: '排队时间太长' },
  });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  assert.equal(rated.body.level_label, '不满意');
  assert.equal(rated.body.bad, true);
  assert.equal(rated.body.follow_up, 'open');
  assert.equal(rated.body.department, SCJGJ);
  const again = await api(srv, s.applicant, 'POST', `/api/v1/cases/${number}/rating`, { json: { level: 'satisfied' } });
  assert.equal(again.status, 409);

  // The business lead of the department sees it; an applicant has no follow-ups.
  const none = await api(srv, s.applicant, 'GET', '/api/v1/ratings/follow-ups');
  assert.equal(none.status, 200);
  assert.deepEqual(none.body.follow_ups, []);
  const list = await api(srv, s.lead, 'GET', '/api/v1/ratings/follow-ups');
  assert.equal(list.status, 200);
  const f = list.body.follow_ups.find((x) => x.case_number === number);
  assert.ok(f);
  assert.deepEqual(f.allowed_actions, ['callback', 'appeal']);
  const path = `/api/v1/ratings/${f.id}/follow-up`;
  const noNote = await api(srv, s.lead, 'POST', path, { json: { action: 'callback', version: f.version, outcome: '已整改' } });
  assert.equal(noNote.status, 400);
  assert.equal(noNote.body.error.field, 'callback_note');
  const appealed = await api(srv, s.lead, 'POST', path, { json: { action: 'appeal', version: f.version, reason: '当日系统故障' } });
  assert.equal(appealed.status, 200, JSON.stringify(appealed.body));
  assert.equal(appealed.body.follow_up, 'appealed');
  const leadDecides = await api(srv, s.lead, 'POST', path, {
    json: { action: 'decide_appeal', version: appealed.body.version, uphold: true, note: 'x' },
  });
  assert.equal(leadDecides.status, 403);
  const rejected = await api(srv, s.centre, 'POST', path, {
    json: { action: 'decide_appeal', version: appealed.body.version, uphold: false, note: '故障不影响窗口排队' },
  });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
  assert.equal(rejected.body.follow_up, 'open');
  assert.equal(rejected.body.appeal_decision, 'rejected');
  const closed = await api(srv, s.lead, 'POST', path, {
    json: { action: 'callback', version: rejected.body.version, callback_note: '已电话回访申请人', outcome: '增设取号窗口' },
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.follow_up, 'closed');
  view = await api(srv, s.applicant, 'GET', `/api/v1/cases/${number}/rating`);
  assert.equal(view.body.can_rate, false);
  assert.equal(view.body.rating.follow_up, 'closed');
});

test('a case not rated within the window gets the configured default', { skip: !serveHasToday() }, async () => {
  const first = await startOn(null, ['--today', '2026-11-02']);
  const sessions = {};
  let dataDir = first.dataDir;
  try {
    const staff = {
      clerk: addStaff(first, 'd_clerk', SCJGJ, 'clerk'),
      reviewerA: addStaff(first, 'd_rev_a', SCJGJ, 'reviewer'),
      reviewerB: addStaff(first, 'd_rev_b', SCJGJ, 'reviewer'),
      approver: addStaff(first, 'd_appr', SCJGJ, 'approver'),
    };
    for (const [k, v] of Object.entries(staff)) sessions[k] = await signIn(first, v);
    const person = await registerPerson(first, citizenId('44510219850101', '011'), '郑默认');
    sessions.applicant = await signIn(first, person);
    const number = await deliveredCase(first, sessions);
    await first.stop();
    // 15 days later the applicant may still rate; on the 16th the default is recorded.
    const later = await startOn(dataDir, ['--today', '2026-11-18']);
    try {
      const applicant = await signIn(later, person);
      const view = await api(later, applicant, 'GET', `/api/v1/cases/${number}/rating`);
      assert.equal(view.status, 200, JSON.stringify(view.body));
      assert.equal(view.body.can_rate, false);
      assert.equal(view.body.rating.defaulted, true);
      assert.equal(view.body.rating.level, 'satisfied');
      const late = await api(later, applicant, 'POST', `/api/v1/cases/${number}/rating`, { json: { level: 'very_satisfied' } });
      assert.equal(late.status, 409);
    } finally {
      await later.stop({ remove: true });
      dataDir = null;
    }
  } finally {
    if (dataDir) await first.stop({ remove: true });
  }
});
