// Cases over HTTP against the real binary (SQLite, demo data): the whole journey of one
// application for 食品经营许可 from filing to delivery, as the applicant and the staff of
// 潮州市市场监督管理局 do it through the JSON API; and the rules the API must hold on the
// way: If-Match (stale → 412, missing → 400), roles (403), other people's cases (404),
// the one correction notice (一次告知: a second → 409), Idempotency-Key replays, field
// errors, concurrent decisions (one wins, the other gets 412) and deemed acceptance on a
// server whose "today" is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pdfText } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, act, actNow, getCase, download,
  uploadPdf, foodLicenceData, citizenId, startOn, serveHasToday,
} from './case_helpers.mjs';

let srv;
const staff = {};
const s = {};  // sessions
let applicant;
let other;
before(async () => {
  srv = await startServer();
  staff.clerk = addStaff(srv, 'sj_clerk', SCJGJ, 'clerk');
  staff.reviewerA = addStaff(srv, 'sj_review_a', SCJGJ, 'reviewer');
  staff.reviewerB = addStaff(srv, 'sj_review_b', SCJGJ, 'reviewer');
  staff.approver = addStaff(srv, 'sj_approver', SCJGJ, 'approver');
  staff.otherClerk = addStaff(srv, 'cg_clerk', CGZFJ, 'clerk');
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  applicant = await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明');
  other = await registerPerson(srv, citizenId('44510219920512', '456'), '林小红');
  s.applicant = await signIn(srv, applicant);
  s.other = await signIn(srv, other);
});
after(async () => { await srv.stop(); });

/** Files a complete food licence application as the applicant; returns {number, version}. */
async function fileCase(session = s.applicant, headers = {}) {
  const upload = await uploadPdf(srv, session);
  const r = await api(srv, session, 'POST', '/api/v1/applications', {
    headers, json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/** Takes a filed case through acceptance and both reviews, to the approver's desk. */
async function toDecision(number) {
  await actNow(srv, s.clerk, number, 'accept');
  await actNow(srv, s.reviewerA, number, 'review_opinion', { opinion: '材料齐全，符合法定条件', agree: true });
  await actNow(srv, s.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
}

const kinds = (c) => c.documents.map((d) => d.kind);

test('the whole journey: file, accept, review twice, approve, deliver; the applicant follows it', async () => {
  const upload = await uploadPdf(srv, s.applicant);
  const body = { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true };
  const filed = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': 'journey-1' }, json: body,
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const { number } = filed.body;
  assert.match(number, /^445100\d{8}\d{5}$/, 'region code + date + sequence');
  assert.equal(filed.body.state, 'submitted');
  assert.equal(filed.body.version, 1);
  assert.equal(filed.headers.get('location'), `/api/v1/cases/${number}`);

  // The acknowledgement: a receipt, the acceptance clock running.
  let c = await getCase(srv, s.applicant, number);
  assert.equal(c.state, 'submitted');
  assert.equal(c.state_label, '已提交');
  assert.equal(c.item, FOOD_LICENCE);
  assert.equal(c.title, '食品经营许可');
  assert.equal(c.applicant.name, '陈小明');
  assert.equal(c.applicant.id_number, applicant.login, 'the applicant sees their own ID in full');
  assert.equal(c.clock.kind, 'acceptance');
  assert.match(c.due, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(['green', 'yellow', 'red'].includes(c.signal));
  assert.deepEqual(kinds(c), ['receipt']);
  assert.deepEqual(c.data.business_items, ['hot_food', 'cold_food']);
  assert.ok(c.allowed_actions.includes('withdraw'));
  assert.ok(!c.allowed_actions.includes('accept'));

  // The clerk's queue holds the new application at the acceptance stage, earliest due first.
  const queue = await api(srv, s.clerk, 'GET', '/api/v1/tasks');
  assert.equal(queue.status, 200);
  const row = queue.body.tasks.find((t) => t.case_number === number);
  assert.ok(row, 'the new case is in the queue');
  assert.equal(row.stage, 'acceptance');
  assert.equal(row.stage_label, '受理');
  assert.equal(row.title, '食品经营许可');
  const dues = queue.body.tasks.map((t) => t.due);
  assert.deepEqual(dues, [...dues].sort(), 'sorted by due date');

  // The clerk handling it holds case_read_personal: the ID in full (that read is
  // audited); another department's clerk does not learn the case exists.
  const staffView = await getCase(srv, s.clerk, number);
  assert.equal(staffView.applicant.personal_visible, true);
  assert.equal(staffView.applicant.id_number, applicant.login);
  const otherDept = await api(srv, s.otherClerk, 'GET', `/api/v1/cases/${number}`);
  assert.equal(otherDept.status, 404);
  assert.ok(staffView.allowed_actions.includes('accept'), staffView.allowed_actions.join());
  assert.equal(staffView.tasks[0].stage, 'acceptance');

  await actNow(srv, s.clerk, number, 'accept');
  c = await getCase(srv, s.applicant, number);
  assert.equal(c.state, 'accepted');
  assert.equal(c.clock.kind, 'decision');
  assert.ok(kinds(c).includes('acceptance_notice'));

  await actNow(srv, s.reviewerA, number, 'review_opinion', { opinion: '材料齐全，符合法定条件', agree: true });
  c = await getCase(srv, s.reviewerA, number);
  assert.equal(c.state, 'in_review');
  assert.equal(c.parts[0].state, 'recheck');

  // Law Art. 34: the recheck is another person's.
  const self = await act(srv, s.reviewerA, number, c.version, 'review_opinion', { opinion: '复核同意' });
  assert.equal(self.status, 409, JSON.stringify(self.body));
  assert.ok(self.body.error.message, 'the conflict says why');

  await actNow(srv, s.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
  c = await getCase(srv, s.approver, number);
  assert.equal(c.parts[0].state, 'decision');
  assert.ok(c.allowed_actions.includes('approve'));

  await actNow(srv, s.approver, number, 'approve');
  c = await getCase(srv, s.applicant, number);
  assert.equal(c.state, 'approved');
  assert.equal(c.clock.kind, 'delivery');
  assert.ok(c.parts[0].decided_on);
  assert.ok(kinds(c).includes('approval_decision'));

  await actNow(srv, s.clerk, number, 'deliver');

  // What the applicant sees at the end: delivered, the timeline, the documents.
  const res = await api(srv, s.applicant, 'GET', `/api/v1/cases/${number}`);
  c = res.body;
  assert.equal(c.state, 'delivered');
  assert.equal(c.state_label, '已办结');
  assert.equal(res.headers.get('etag'), `"${c.version}"`);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(c.due, null, 'no clock runs once delivered');
  assert.equal(c.clock.kind, 'none');
  const actions = c.events.map((e) => e.action);
  for (const a of ['submit', 'accept', 'review_opinion', 'approve', 'deliver']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  assert.equal(actions.filter((a) => a === 'review_opinion').length, 2);
  const approve = c.events.find((e) => e.action === 'approve');
  assert.equal(approve.actor, '员工sj_approver');
  assert.equal(approve.role, 'approver');
  assert.equal(approve.to, 'approved');
  assert.match(approve.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  assert.deepEqual(c.allowed_actions, []);
  assert.ok(c.materials.some((m) => m.id === upload));

  assert.ok(kinds(c).includes('receipt') && kinds(c).includes('acceptance_notice') && kinds(c).includes('approval_decision'));
  for (const d of c.documents) {
    assert.equal(d.url, `/api/v1/cases/${number}/documents/${d.id}.pdf`);
    assert.match(d.verify_code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const pdf = await download(srv, s.applicant, d.url);
    assert.equal(pdf.status, 200, d.url);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdfText(pdf.bytes).replace(/\s+/g, '').includes(d.label), `${d.kind} PDF shows its title`);
    // Anyone can check the document by its code.
    const page = await fetch(`${srv.url}/verify/${d.verify_code}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    assert.equal(page.status, 200, `/verify/${d.verify_code}`);
    assert.ok(html.includes(d.label), `verify page names ${d.label}`);
    assert.ok(html.includes('潮州市市场监督管理局'));
    assert.ok(html.includes('电子签名有效'), 'the signature checks out');
    assert.ok(html.includes(number));
    assert.ok(!html.includes('陈小明'), 'the applicant is masked for anyone');
  }
  // Other people cannot fetch the documents.
  const foreign = await download(srv, s.other, c.documents[0].url);
  assert.equal(foreign.status, 404);

  const appPdf = await download(srv, s.applicant, `/api/v1/cases/${number}/application.pdf`);
  assert.equal(appPdf.status, 200);
  assert.equal(appPdf.headers.get('content-type'), 'application/pdf');

  const mine = await api(srv, s.applicant, 'GET', '/api/v1/cases?mine=1');
  assert.equal(mine.status, 200);
  const listed = mine.body.cases.find((x) => x.number === number);
  assert.equal(listed.state, 'delivered');
  assert.equal(listed.title, '食品经营许可');

  const dept = await api(srv, s.clerk, 'GET', `/api/v1/cases?department=${SCJGJ}&state=delivered`);
  assert.equal(dept.status, 200);
  assert.ok(dept.body.cases.some((x) => x.number === number));

  // A replay of the first request answers as the first time did, and files nothing new.
  const replay = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': 'journey-1' }, json: body,
  });
  assert.equal(replay.status, 201);
  assert.equal(replay.body.number, number);
  const again = await api(srv, s.applicant, 'GET', '/api/v1/cases?mine=1');
  assert.equal(again.body.cases.length, mine.body.cases.length);
  const reused = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': 'journey-1' }, json: { ...body, submit: false },
  });
  assert.equal(reused.status, 409);
  assert.equal(reused.body.error.code, 'idempotency_key_reused');
});

test('If-Match: a stale version gets 412, a missing one 400; quoted, bare and weak forms all work', async () => {
  const { number, version } = await fileCase();
  const stale = await act(srv, s.clerk, number, version + 1, 'accept');
  assert.equal(stale.status, 412, JSON.stringify(stale.body));
  assert.equal(stale.body.error.code, 'stale_version');
  const missing = await api(srv, s.clerk, 'POST', `/api/v1/cases/${number}/actions`, { json: { action: 'accept' } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'if_match_required');
  const junk = await api(srv, s.clerk, 'POST', `/api/v1/cases/${number}/actions`, { ifMatch: 'abc', json: { action: 'accept' } });
  assert.equal(junk.status, 400);
  const weak = await api(srv, s.clerk, 'POST', `/api/v1/cases/${number}/actions`, {
    ifMatch: `W/"${version}"`, json: { action: 'accept' },
  });
  assert.equal(weak.status, 200, JSON.stringify(weak.body));
  assert.equal(weak.body.version, version + 1);
  assert.equal(weak.headers.get('etag'), `"${version + 1}"`);
  const bare = await api(srv, s.reviewerA, 'POST', `/api/v1/cases/${number}/actions`, {
    ifMatch: String(version + 1), json: { action: 'review_opinion', opinion: '同意' },
  });
  assert.equal(bare.status, 200, JSON.stringify(bare.body));
  const unknown = await api(srv, s.clerk, 'POST', `/api/v1/cases/${number}/actions`, { ifMatch: '1', json: { action: 'fly' } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.field, 'action');
});

test('roles: a reviewer cannot accept, a clerk cannot approve, the applicant cannot accept (403)', async () => {
  const { number, version } = await fileCase();
  for (const [who, action] of [['reviewerA', 'accept'], ['approver', 'accept'], ['applicant', 'accept']]) {
    const r = await act(srv, s[who], number, version, action);
    assert.equal(r.status, 403, `${who} ${action}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.error.message);
  }
  await actNow(srv, s.clerk, number, 'accept');
  const c = await getCase(srv, s.clerk, number);
  const r = await act(srv, s.clerk, number, c.version, 'approve');
  assert.equal(r.status, 403);
  // An action the state does not allow: 409, with the reason.
  const late = await act(srv, s.clerk, number, c.version, 'accept');
  assert.equal(late.status, 409, JSON.stringify(late.body));
});

test("another applicant guessing a case number gets 404, as for a number that does not exist", async () => {
  const { number, version } = await fileCase();
  const seen = await api(srv, s.other, 'GET', `/api/v1/cases/${number}`);
  assert.equal(seen.status, 404);
  const acted = await act(srv, s.other, number, version, 'withdraw', { reason: '不办了' });
  assert.equal(acted.status, 404);
  const pdf = await download(srv, s.other, `/api/v1/cases/${number}/application.pdf`);
  assert.equal(pdf.status, 404);
  const none = await api(srv, s.other, 'GET', '/api/v1/cases/445100209901010000001');
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, seen.body.error.code, 'the same answer: nothing is learned');
  const list = await api(srv, s.other, 'GET', '/api/v1/cases?mine=1');
  assert.ok(!list.body.cases.some((x) => x.number === number));
  const anon = await api(srv, null, 'GET', `/api/v1/cases/${number}`);
  assert.equal(anon.status, 401);
});

test('one correction notice only (一次告知): a second is refused with 409; then refusal of acceptance', async () => {
  const { number } = await fileCase();
  await actNow(srv, s.clerk, number, 'request_correction', {
    materials: ['食品安全管理制度文本', '从业人员健康证明'], reason: '材料不全',
  });
  let c = await getCase(srv, s.applicant, number);
  assert.equal(c.state, 'correction_requested');
  assert.deepEqual(c.correction.materials, ['食品安全管理制度文本', '从业人员健康证明']);
  assert.ok(kinds(c).includes('correction_notice'));
  assert.ok(c.allowed_actions.includes('submit_correction'));

  const fix = await uploadPdf(srv, s.applicant, '食品安全管理制度.pdf');
  await actNow(srv, s.applicant, number, 'submit_correction', { materials: [fix] });
  c = await getCase(srv, s.clerk, number);
  assert.equal(c.state, 'submitted');
  assert.ok(!c.allowed_actions.includes('request_correction'));

  const second = await act(srv, s.clerk, number, c.version, 'request_correction', { materials: ['健康证明'] });
  assert.equal(second.status, 409, JSON.stringify(second.body));
  assert.ok(second.body.error.message);

  // Still wrong: the department refuses acceptance with its reasons.
  const noReason = await act(srv, s.clerk, number, c.version, 'refuse_acceptance', {});
  assert.equal(noReason.status, 400);
  await actNow(srv, s.clerk, number, 'refuse_acceptance', {
    reason: '补正后的健康证明仍已过期', where_to_apply: '潮州市湘桥区市场监督管理局',
  });
  c = await getCase(srv, s.applicant, number);
  assert.equal(c.state, 'not_accepted');
  assert.ok(kinds(c).includes('non_acceptance_decision'));
});

test('two approvals at once with the same version: exactly one 200 and one 412', async () => {
  const { number } = await fileCase();
  await toDecision(number);
  const c = await getCase(srv, s.approver, number);
  const answers = await Promise.all([
    act(srv, s.approver, number, c.version, 'approve'),
    act(srv, s.approver, number, c.version, 'approve'),
  ]);
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [200, 412], JSON.stringify(answers.map((a) => a.body)));
  const after = await getCase(srv, s.applicant, number);
  assert.equal(after.state, 'approved');
  assert.equal(after.events.filter((e) => e.action === 'approve').length, 1, 'never a lost or doubled update');
});

test('field errors: 400 with error.field and every field listed', async () => {
  const r = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, submit: true, data: { applicant_name: '某店', contact_phone: '12345', area: '-3' } },
  });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.ok(r.body.error.field);
  const fields = r.body.errors.map((e) => e.field);
  for (const f of ['contact_phone', 'area', 'credit_code', 'layout_plan']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  for (const e of r.body.errors) assert.ok(e.message, e.field);
  const unknownItem = await api(srv, s.applicant, 'POST', '/api/v1/applications', { json: { item: 'NO-SUCH', submit: true } });
  assert.equal(unknownItem.status, 404);
  const badData = await api(srv, s.applicant, 'POST', '/api/v1/applications', { json: { item: FOOD_LICENCE, data: [] } });
  assert.equal(badData.status, 400);
  assert.equal(badData.body.error.field, 'data');
});

test('drafts: save, replace with If-Match, then submit with the completed data', async () => {
  const created = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: { applicant_name: '潮州市湘桥区好味道餐馆' }, submit: false },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.state, 'draft');
  const { number } = created.body;
  const put = await api(srv, s.applicant, 'PUT', `/api/v1/cases/${number}/draft`, {
    ifMatch: `"${created.body.version}"`, json: { data: { applicant_name: '好味道餐馆', contact_phone: '13800138000' } },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.state, 'draft');
  let c = await getCase(srv, s.applicant, number);
  assert.equal(c.data.contact_phone, '13800138000');
  const stale = await api(srv, s.applicant, 'PUT', `/api/v1/cases/${number}/draft`, {
    ifMatch: `"${created.body.version}"`, json: { data: {} },
  });
  assert.equal(stale.status, 412);
  const incomplete = await act(srv, s.applicant, number, c.version, 'submit');
  assert.equal(incomplete.status, 400, 'a draft is checked in full before it becomes an application');
  const upload = await uploadPdf(srv, s.applicant);
  const submitted = await act(srv, s.applicant, number, c.version, 'submit', { data: foodLicenceData(upload) });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.state, 'submitted');
  c = await getCase(srv, s.applicant, number);
  assert.equal(c.data.applicant_name, '潮州市湘桥区好味道餐馆');
});

test('window mode: a clerk files for a registered applicant, who then sees the case', async () => {
  const upload = await uploadPdf(srv, s.applicant);  // the applicant's own material
  const r = await api(srv, s.clerk, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: { ...foodLicenceData(upload), layout_plan: [] }, submit: false, on_behalf_of: applicant.login },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const c = await getCase(srv, s.applicant, r.body.number);
  assert.equal(c.channel, 'window');
  const notRegistered = await api(srv, s.clerk, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: {}, submit: false, on_behalf_of: citizenId('44510219700101', '777') },
  });
  assert.equal(notRegistered.status, 404);
  const otherDept = await api(srv, s.otherClerk, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: {}, submit: false, on_behalf_of: applicant.login },
  });
  assert.equal(otherDept.status, 403);
});

test('the queue: ?mine=1 lists only tasks claimed by the caller', async () => {
  const { number } = await fileCase();
  const before = await api(srv, s.clerk, 'GET', '/api/v1/tasks?mine=1');
  assert.equal(before.status, 200);
  assert.ok(!before.body.tasks.some((t) => t.case_number === number));
  await actNow(srv, s.clerk, number, 'claim');
  const mine = await api(srv, s.clerk, 'GET', '/api/v1/tasks?mine=1');
  const row = mine.body.tasks.find((t) => t.case_number === number);
  assert.ok(row, JSON.stringify(mine.body));
  assert.equal(row.assignee, '员工sj_clerk');
  assert.ok(Number.isInteger(row.working_days_left));
  assert.ok(['green', 'yellow', 'red'].includes(row.signal));
  const applicantQueue = await api(srv, s.applicant, 'GET', '/api/v1/tasks');
  assert.equal(applicantQueue.status, 403);
});

test('deemed acceptance: no decision within 5 working days counts as accepted from the day received', async (t) => {
  if (!serveHasToday()) {
    t.skip('shenpi serve has no --today option yet');
    return;
  }
  // Monday 2026-03-02: received. Five working days: 3, 4, 5, 6 and 9 March. On the 10th
  // the case counts as accepted from the 2nd, and the decision clock runs from then.
  let day = await startOn(null, ['--today', '2026-03-02']);
  try {
    const who = await registerPerson(day, citizenId('44510219880808', '088'), '郑一');
    const session = await signIn(day, who);
    const upload = await uploadPdf(day, session);
    const r = await api(day, session, 'POST', '/api/v1/applications', {
      json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const { number } = r.body;
    let c = await getCase(day, session, number);
    assert.equal(c.clock.kind, 'acceptance');
    assert.equal(c.due, '2026-03-09');
    assert.equal(c.clock.deemed_accepted, false);
    await day.stop();

    day = await startOn(day.dataDir, ['--today', '2026-03-10']);
    const again = await signIn(day, who);
    c = await getCase(day, again, number);
    assert.equal(c.clock.deemed_accepted, true, JSON.stringify(c.clock));
    assert.equal(c.clock.kind, 'decision');
    // 食品经营许可 promises 5 working days from 2 March: due 9 March, so already late.
    assert.equal(c.due, '2026-03-09');
    assert.equal(c.signal, 'red');
  } finally {
    await day.stop({ remove: true });
  }
});

test('我的办件 pages: the API pages ?mine=1 with limit and offset, the page 50 at a time', async () => {
  const many = await registerPerson(srv, citizenId('44510219850101', '777'), '周大发');
  const session = await signIn(srv, many);
  const numbers = [];
  for (let i = 0; i < 51; i++) numbers.push((await fileCase(session)).number);

  // The API: the newest first, pages that neither overlap nor leave a case out.
  const first = await api(srv, session, 'GET', '/api/v1/cases?mine=1&limit=20');
  assert.equal(first.status, 200);
  assert.equal(first.body.cases.length, 20);
  const seen = [];
  for (let offset = 0; ; offset += 20) {
    const r = await api(srv, session, 'GET', `/api/v1/cases?mine=1&limit=20&offset=${offset}`);
    assert.equal(r.status, 200);
    seen.push(...r.body.cases.map((c) => c.number));
    if (r.body.cases.length < 20) break;
  }
  assert.deepEqual([...seen].sort(), [...numbers].sort(), 'every case exactly once');
  const bad = await api(srv, session, 'GET', '/api/v1/cases?mine=1&limit=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'limit');

  // The page: 50 and a link to the next; the second page has the 51st and a way back.
  const html = async (path) => (await api(srv, session, 'GET', path, { headers: { accept: 'text/html' } })).body;
  const page1 = await html('/my/cases');
  assert.equal((page1.match(/class="case-number"/g) || []).length, 50);
  assert.ok(page1.includes('href="/my/cases?page=2" rel="next">下一页'));
  assert.ok(!page1.includes('rel="prev"'));
  const page2 = await html('/my/cases?page=2');
  assert.equal((page2.match(/class="case-number"/g) || []).length, 1);
  assert.ok(page2.includes(numbers[0]), 'the oldest case is on the second page');
  assert.ok(page2.includes('href="/my/cases?page=1" rel="prev">上一页'));
  assert.ok(page2.includes('href="/my/cases?page=2" aria-current="page">'), 'the current page is marked');
  assert.ok((await html('/my/cases?page=9')).includes('这一页没有办件'));
  assert.equal((((await html('/my/cases?page=abc')).match(/class="case-number"/g)) || []).length, 50,
    'a page number that is not one shows the first page');
});
