// The pages of applying and handling, without JavaScript: plain form posts as a browser
// sends them (multipart/form-data for the application form and corrections, urlencoded
// for everything else), against the real binary with the demo catalogue. What a person
// checks: a field error is shown in Chinese next to its field and nothing is filed; a
// good application answers 303 to its case page and a double click files one case; the
// staff take the case through acceptance, two reviews and the decision with the forms of
// /work; a stale version and a rule's conflict are explained on the page; the applicant
// sees the decision and its PDF; a clerk files at the window for a registered visitor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, RESTAURANT_BUNDLE, addStaff, registerPerson, registerOrganisation, signIn, api, getCase,
  citizenId, creditCode, tinyPdf,
} from './case_helpers.mjs';

const WASTE_PERMIT = '445100-CGZFJ-XK-002';  // 城市建筑垃圾处置核准: no attachments

let srv;
const staff = {};
const s = {};
let applicant;
let company;
before(async () => {
  srv = await startServer();
  staff.clerk = addStaff(srv, 'pg_clerk', SCJGJ, 'clerk');
  staff.reviewerA = addStaff(srv, 'pg_review_a', SCJGJ, 'reviewer');
  staff.reviewerB = addStaff(srv, 'pg_review_b', SCJGJ, 'reviewer');
  staff.approver = addStaff(srv, 'pg_approver', SCJGJ, 'approver');
  staff.window = addStaff(srv, 'pg_window', CGZFJ, 'clerk');
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  applicant = await registerPerson(srv, citizenId('44510219880808', '321'), '黄小梅');
  s.applicant = await signIn(srv, applicant);
  company = await registerOrganisation(srv, creditCode('91445100MA4W0007'), '潮州市某某建筑有限公司');
});
after(async () => { await srv.stop(); });

// ---- requests as a browser without JavaScript sends them ---------------------------------

async function getPage(session, path) {
  const res = await fetch(srv.url + path, { headers: session ? { cookie: session.cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** A multipart form post: `fields` as [name, value] pairs (repeats allowed), `files` as
 * [name, filename, bytes]. */
async function postMultipart(session, path, fields, files = []) {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  for (const [k, name, bytes] of files) form.append(k, new Blob([bytes], { type: 'application/pdf' }), name);
  const res = await fetch(srv.url + path, { method: 'POST', headers: { cookie: session.cookie }, body: form, redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function postForm(session, path, fields) {
  const body = new URLSearchParams(fields).toString();
  const res = await fetch(srv.url + path, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const hidden = (html, name) => {
  const m = html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`));
  return m ? m[1] : null;
};

/** The food licence form as the page posts it (a staff table row, checkboxes, file). */
function foodFields(session, token, overrides = {}) {
  const v = {
    applicant_name: '潮州市湘桥区黄记小吃店', credit_code: creditCode('92445100MA4W0003'), legal_rep: '黄小梅',
    legal_rep_id: applicant.login, contact_phone: '13800138001', premises: '潮州市湘桥区西马路8号',
    business_kind: 'catering', area: '60', online_sales: 'no', ...overrides,
  };
  const fields = [['csrf_token', session.csrf], ['idempotency_key', token]];
  for (const [k, val] of Object.entries(v)) fields.push([k, val]);
  fields.push(['business_items', 'hot_food'], ['business_items', 'drinks']);
  fields.push(['staff[0][name]', '黄小梅'], ['staff[0][id_no]', applicant.login], ['staff[0][post]', '厨师'],
    ['staff[0][health_cert_no]', 'JK2026088'], ['staff[0][health_cert_until]', '2027-06-30']);
  fields.push(['staff[1][name]', ''], ['staff[1][id_no]', ''], ['staff[1][post]', '']);
  return fields;
}

async function myCaseCount(session) {
  const r = await api(srv, session, 'GET', '/api/v1/cases?mine=1');
  assert.equal(r.status, 200);
  return r.body.cases.length;
}

/** Files a food licence through the page; returns the case number. */
async function applyThroughPage(session = s.applicant) {
  const form = await getPage(session, `/apply/${FOOD_LICENCE}`);
  const token = hidden(form.html, 'idempotency_key');
  const r = await postMultipart(session, `/apply/${FOOD_LICENCE}`, [...foodFields(session, token), ['action', 'submit']],
    [['layout_plan', '平面布局图.pdf', tinyPdf(`layout ${token}`)]]);
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  return r.headers.get('location').match(/^\/my\/cases\/(\d+)\?/)[1];
}

/** Reads the version shown on the staff case page and posts one action form. */
async function staffAct(session, number, fields) {
  const page = await getPage(session, `/work/cases/${number}`);
  assert.equal(page.status, 200);
  const version = hidden(page.html, 'version');
  return postForm(session, `/work/cases/${number}/actions`, { csrf_token: session.csrf, version, ...fields });
}

// ---- tests ----------------------------------------------------------------------------------

test('signed out: the pages send to the login page and come back', async () => {
  for (const path of ['/my/cases', `/apply/${FOOD_LICENCE}`, '/work']) {
    const r = await getPage(null, path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), `/login?next=${encodeURIComponent(path)}`);
  }
});

test('the application form: guide essentials, every field, file inputs, two buttons, never cached', async () => {
  const r = await getPage(s.applicant, `/apply/${FOOD_LICENCE}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.html, /<h1>食品经营许可<\/h1>/);
  assert.match(r.html, /承诺时限/);
  assert.match(r.html, /申请材料/);
  assert.match(r.html, /enctype="multipart\/form-data"/);
  assert.match(r.html, /<input type="file" id="f-layout_plan" name="layout_plan"/);
  assert.match(r.html, /name="staff\[0\]\[name\]"/);
  assert.match(r.html, /value="submit"[^>]*>提交申请/);
  assert.match(r.html, /value="draft"[^>]*>保存草稿/);
  assert.match(hidden(r.html, 'idempotency_key'), /^[0-9a-f]{32}$/);
  assert.equal(hidden(r.html, 'csrf_token'), s.applicant.csrf);
});

test('a field error is shown in Chinese next to its field, with what was typed, and nothing is filed', async () => {
  const before = await myCaseCount(s.applicant);
  const form = await getPage(s.applicant, `/apply/${FOOD_LICENCE}`);
  const token = hidden(form.html, 'idempotency_key');
  const r = await postMultipart(s.applicant, `/apply/${FOOD_LICENCE}`,
    [...foodFields(s.applicant, token, { contact_phone: '12345' }), ['action', 'submit']],
    [['layout_plan', '平面布局图.pdf', tinyPdf('error case')]]);
  assert.equal(r.status, 400);
  // The message sits inside the phone field's block, tied to the input.
  const block = r.html.match(/<div class="field field-invalid">\s*<label for="f-contact_phone">[\s\S]*?<\/div>/);
  assert.ok(block, 'the phone field is marked invalid');
  assert.match(block[0], /<p class="field-error" id="f-contact_phone-error">[\s\S]*[\u4e00-\u9fff]/);
  assert.match(block[0], /aria-invalid="true"/);
  assert.match(block[0], /value="12345"/);
  assert.match(r.html, /class="error-summary"[\s\S]*href="#f-contact_phone"/);
  // The other values and the uploaded file are kept.
  assert.match(r.html, /value="潮州市湘桥区黄记小吃店"/);
  assert.match(r.html, /已上传：[\s\S]*平面布局图\.pdf/);
  assert.equal(await myCaseCount(s.applicant), before, 'no case was filed');
});

test('a good application answers 303 to its case page; a double click files one case', async () => {
  const before = await myCaseCount(s.applicant);
  const form = await getPage(s.applicant, `/apply/${FOOD_LICENCE}`);
  const token = hidden(form.html, 'idempotency_key');
  const post = () => postMultipart(s.applicant, `/apply/${FOOD_LICENCE}`,
    [...foodFields(s.applicant, token), ['action', 'submit']], [['layout_plan', '平面布局图.pdf', tinyPdf('double click')]]);
  const [a, b] = await Promise.all([post(), post()]);
  assert.equal(a.status, 303, a.html.slice(0, 1500));
  assert.equal(b.status, 303, b.html.slice(0, 1500));
  assert.equal(a.headers.get('location').split('?')[0], b.headers.get('location').split('?')[0]);
  assert.equal(await myCaseCount(s.applicant), before + 1);
  const number = a.headers.get('location').match(/^\/my\/cases\/(\d+)/)[1];

  const page = await getPage(s.applicant, a.headers.get('location'));
  assert.equal(page.status, 200);
  assert.match(page.html, /申请已提交/);
  assert.match(page.html, /已提交/);
  assert.match(page.html, /受理时限[\s\S]*(绿灯|黄灯|红灯)[\s\S]*剩余\d+个工作日/);
  assert.match(page.html, /申请材料接收凭证（PDF）/);
  assert.match(page.html, new RegExp(`/api/v1/cases/${number}/application.pdf`));
  assert.match(page.html, /核验码 <a href="\/verify\/[^"]+" class="verify-code">[0-9A-Z-]+<\/a>/);
  assert.match(page.html, /撤回申请/);

  const list = await getPage(s.applicant, '/my/cases');
  assert.match(list.html, new RegExp(`href="/my/cases/${number}"`));
  assert.match(list.html, /食品经营许可/);
});

test('a multipart post without the CSRF token is refused and files nothing', async () => {
  const before = await myCaseCount(s.applicant);
  const fields = foodFields(s.applicant, 'a'.repeat(32)).filter(([k]) => k !== 'csrf_token');
  const r = await postMultipart(s.applicant, `/apply/${FOOD_LICENCE}`, [...fields, ['action', 'submit']],
    [['layout_plan', 'x.pdf', tinyPdf('no csrf')]]);
  assert.equal(r.status, 403);
  assert.equal(await myCaseCount(s.applicant), before);
});

test('a draft is saved, shown again as a form, and submitted from its page', async () => {
  const form = await getPage(s.applicant, `/apply/${FOOD_LICENCE}`);
  const token = hidden(form.html, 'idempotency_key');
  const draft = await postMultipart(s.applicant, `/apply/${FOOD_LICENCE}`,
    [['csrf_token', s.applicant.csrf], ['idempotency_key', token], ['applicant_name', '草稿小店'], ['action', 'draft']]);
  assert.equal(draft.status, 303, draft.html.slice(0, 1500));
  const url = draft.headers.get('location');
  assert.match(url, /notice=draft$/);
  const number = url.match(/\/my\/cases\/(\d+)/)[1];
  let page = await getPage(s.applicant, url);
  assert.match(page.html, /草稿已保存/);
  assert.match(page.html, /继续填写申请/);
  assert.match(page.html, /value="草稿小店"/);
  // Submitting the incomplete draft shows the errors at the fields and keeps it a draft.
  let r = await postMultipart(s.applicant, `/my/cases/${number}/draft`,
    [['csrf_token', s.applicant.csrf], ['version', hidden(page.html, 'version')], ['applicant_name', '草稿小店'],
      ['action', 'submit']]);
  assert.equal(r.status, 400);
  assert.match(r.html, /<p class="field-error" id="f-contact_phone-error">/);
  assert.equal((await getCase(srv, s.applicant, number)).state, 'draft');
  // Completed and submitted.
  page = await getPage(s.applicant, `/my/cases/${number}`);
  r = await postMultipart(s.applicant, `/my/cases/${number}/draft`,
    [...foodFields(s.applicant, token), ['version', hidden(page.html, 'version')], ['action', 'submit']],
    [['layout_plan', '平面布局图.pdf', tinyPdf('draft layout')]]);
  assert.equal(r.status, 303, r.html.slice(0, 1500));
  assert.equal((await getCase(srv, s.applicant, number)).state, 'submitted');
});

test('the staff take a case through the forms of /work to 准予; the applicant sees it and the PDF', async () => {
  const number = await applyThroughPage();

  // The clerk's queue lists it, applicant masked, with the signal written out.
  const queue = await getPage(s.clerk, '/work');
  assert.equal(queue.status, 200);
  assert.equal(queue.headers.get('cache-control'), 'no-store');
  const row = queue.html.match(new RegExp(`<tr>\\s*<td>受理</td>\\s*<td><a href="/work/cases/${number}"[\\s\\S]*?</tr>`));
  assert.ok(row, 'the case is in the acceptance queue');
  assert.match(row[0], /黄\*\*/);
  assert.doesNotMatch(row[0], /黄小梅/);
  assert.match(row[0], /(绿灯|黄灯|红灯)/);

  // The case page: the form data with display values, the materials, an accept form.
  const page = await getPage(s.clerk, `/work/cases/${number}`);
  assert.equal(page.status, 200);
  assert.match(page.html, /热食类食品制售|热食/);
  assert.match(page.html, /href="\/api\/v1\/uploads\/[0-9a-f]{32}"/);
  assert.match(page.html, /<input type="hidden" name="action" value="accept">/);

  let r = await staffAct(s.clerk, number, { action: 'claim', form: 'claim-1', task: '1' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  r = await staffAct(s.clerk, number, { action: 'accept', form: 'accept' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  assert.match(r.headers.get('location'), new RegExp(`^/work/cases/${number}\\?done=accept$`));
  const done = await getPage(s.clerk, r.headers.get('location'));
  assert.match(done.html, /已受理/);

  // A review opinion without text: the error sits in that form, next to the field.
  r = await staffAct(s.reviewerA, number, { action: 'review_opinion', form: 'review_opinion-0', opinion: '', agree: 'true' });
  assert.equal(r.status, 400);
  assert.match(r.html, /<p class="field-error" id="review_opinion-0-opinion-error">/);

  r = await staffAct(s.reviewerA, number, { action: 'review_opinion', form: 'review_opinion-0', opinion: '材料齐全，符合条件', agree: 'true' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  r = await staffAct(s.reviewerB, number, { action: 'review_opinion', form: 'review_opinion-0', opinion: '复核同意', agree: 'true' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));

  // The approver sees both opinions and decides.
  const desk = await getPage(s.approver, `/work/cases/${number}`);
  assert.match(desk.html, /材料齐全，符合条件/);
  assert.match(desk.html, /复核同意/);
  assert.match(desk.html, /name="action" value="refuse"/);
  r = await staffAct(s.approver, number, { action: 'approve', form: 'approve-0', reason: '' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));

  const mine = await getPage(s.applicant, `/my/cases/${number}`);
  assert.match(mine.html, /<strong>准予许可<\/strong>|准予/);
  const link = mine.html.match(/<a href="(\/api\/v1\/cases\/\d+\/documents\/\d+\.pdf)">准予行政许可决定书（PDF）<\/a>/);
  assert.ok(link, 'the decision is listed with its PDF');
  const pdf = await fetch(srv.url + link[1], { headers: { cookie: s.applicant.cookie } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  // The timeline tells who did what.
  assert.match(mine.html, /受理[\s\S]*员工pg_clerk/);
  assert.doesNotMatch(mine.html, /name="action" value="withdraw"/, 'no withdrawal after the decision');
});

test('a stale version shows "办件已被他人更新" with the fresh page; a rule conflict shows its message', async () => {
  const number = await applyThroughPage();
  const page = await getPage(s.clerk, `/work/cases/${number}`);
  const old = hidden(page.html, 'version');
  let r = await postForm(s.clerk, `/work/cases/${number}/actions`,
    { csrf_token: s.clerk.csrf, version: old, action: 'claim', form: 'claim-1', task: '1' });
  assert.equal(r.status, 303);
  r = await postForm(s.clerk, `/work/cases/${number}/actions`,
    { csrf_token: s.clerk.csrf, version: old, action: 'accept', form: 'accept' });
  assert.equal(r.status, 412);
  assert.match(r.html, /办件已被他人更新，请刷新后重试/);
  assert.notEqual(hidden(r.html, 'version'), old, 'the page carries the fresh version');

  // One correction notice only (一次告知): the second is refused with the rule's message.
  r = await staffAct(s.clerk, number, { action: 'request_correction', form: 'request_correction',
    materials: '营业执照复印件\n健康证明', reason: '材料不全' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  const applicantPage = await getPage(s.applicant, `/my/cases/${number}`);
  assert.match(applicantPage.html, /补正材料通知（一次告知）[\s\S]*营业执照复印件[\s\S]*健康证明/);
  assert.match(applicantPage.html, /提交补正材料/);
  r = await postMultipart(s.applicant, `/my/cases/${number}/actions`,
    [['csrf_token', s.applicant.csrf], ['version', hidden(applicantPage.html, 'version')], ['action', 'submit_correction']],
    [['materials', '营业执照.pdf', tinyPdf('licence copy')]]);
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  const again = await staffAct(s.clerk, number, { action: 'request_correction', form: 'request_correction',
    materials: '再次补正', reason: '仍不全' });
  assert.equal(again.status, 409, again.html.slice(0, 2000));
  assert.match(again.html, /role="alert"[\s\S]*[\u4e00-\u9fff]/);
});

test('withdrawal asks for confirmation, then withdraws', async () => {
  const number = await applyThroughPage();
  let page = await getPage(s.applicant, `/my/cases/${number}`);
  let r = await postForm(s.applicant, `/my/cases/${number}/actions`,
    { csrf_token: s.applicant.csrf, version: hidden(page.html, 'version'), action: 'withdraw', reason: '不再经营' });
  assert.equal(r.status, 400);
  assert.match(r.html, /请勾选确认撤回该申请/);
  assert.match(r.html, />不再经营<\/textarea>/);
  r = await postForm(s.applicant, `/my/cases/${number}/actions`,
    { csrf_token: s.applicant.csrf, version: hidden(r.html, 'version'), action: 'withdraw', reason: '不再经营', confirm: 'yes' });
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  page = await getPage(s.applicant, r.headers.get('location'));
  assert.match(page.html, /申请已撤回/);
  assert.equal((await getCase(srv, s.applicant, number)).state, 'withdrawn');
});

test('window mode: a clerk files for a registered visitor; the case belongs to the visitor', async () => {
  let r = await getPage(s.window, '/work/window');
  assert.equal(r.status, 200);
  assert.match(r.html, new RegExp(`<option value="${WASTE_PERMIT}"`));
  r = await postForm(s.window, '/work/window', { csrf_token: s.window.csrf, on_behalf_of: '', item: '' });
  assert.equal(r.status, 400);
  assert.match(r.html, /<p class="field-error" id="f-on_behalf_of-error">/);
  r = await postForm(s.window, '/work/window', { csrf_token: s.window.csrf, on_behalf_of: company.login, item: WASTE_PERMIT });
  assert.equal(r.status, 200);
  assert.match(r.html, new RegExp(`action="/work/window/${WASTE_PERMIT}"`));
  assert.match(r.html, new RegExp(`id="f-on_behalf_of" name="on_behalf_of" value="${company.login}"`));
  const token = hidden(r.html, 'idempotency_key');
  const data = {
    applicant_name: company.name, credit_code: company.login, legal_rep: '李四', project_name: '韩江大桥维修工程',
    site: '潮州市湘桥区韩江大桥', volume: '1200', disposal_site: '潮州市建筑垃圾消纳场', transporter: '潮州市某运输公司',
    start_date: '2030-03-01', end_date: '2030-06-30', contact_phone: '13912345678',
  };
  const fields = [['csrf_token', s.window.csrf], ['idempotency_key', token], ['on_behalf_of', company.login],
    ...Object.entries(data), ['action', 'submit']];
  // An unregistered visitor: the error sits at the ID number field.
  const bad = fields.map(([k, v]) => [k, k === 'on_behalf_of' ? creditCode('91445100MA4W0009') : v]);
  r = await postMultipart(s.window, `/work/window/${WASTE_PERMIT}`, bad);
  assert.equal(r.status, 404, r.html.slice(0, 1500));
  assert.match(r.html, /<p class="field-error" id="f-on_behalf_of-error">/);
  r = await postMultipart(s.window, `/work/window/${WASTE_PERMIT}`, fields);
  assert.equal(r.status, 303, r.html.slice(0, 2000));
  const number = r.headers.get('location').match(/^\/work\/cases\/(\d+)$/)[1];
  const page = await getPage(s.window, r.headers.get('location'));
  assert.match(page.html, /窗口受理（员工pg_window代办）/);
  const visitor = await signIn(srv, company);
  const c = await getCase(srv, visitor, number);
  assert.equal(c.channel, 'window');
  assert.equal(c.state, 'submitted');
});

test('the workbench is for staff; a bundle has one application form naming each item', async () => {
  const r = await getPage(s.applicant, '/work');
  assert.equal(r.status, 403);
  assert.match(r.html, /[\u4e00-\u9fff]/);
  const w = await getPage(s.applicant, '/work/window');
  assert.equal(w.status, 403);

  const b = await getPage(s.applicant, `/apply/bundle/${RESTAURANT_BUNDLE}`);
  assert.equal(b.status, 200);
  assert.match(b.html, /并联审批 · 在线申报/);
  assert.match(b.html, /并联审批办理时限：\d+个工作日/);
  assert.match(b.html, /食品经营许可/);
  assert.match(b.html, new RegExp(`action="/apply/bundle/${RESTAURANT_BUNDLE}"`));
  const unknown = await getPage(s.applicant, '/apply/no-such-item');
  assert.equal(unknown.status, 404);
});
