// A parallel-approval bundle (并联审批) over HTTP against the real binary: 开办餐饮店, four
// items of four departments filed as one application by a company. 市场监督管理局 leads
// and accepts for all; each department reviews (two staff) and decides its own item; one
// refuses. The applicant sees one case: state "refused", each department's decision
// document present and downloadable, every part decided on its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import {
  SCJGJ, CGZFJ, XFJYZD, ZFCXJSJ, RESTAURANT_BUNDLE, addStaff, registerOrganisation, signIn, api, act, actNow,
  getCase, download, uploadPdf, foodLicenceData, creditCode,
} from './case_helpers.mjs';

// The four items of 开办餐饮店 and their departments (data/demo/catalogue.json).
const PARTS = [
  { item: '445100-SCJGJ-XK-001', dept: SCJGJ, tag: 'sj' },  // 食品经营许可
  { item: '445100-CGZFJ-XK-001', dept: CGZFJ, tag: 'cg' },  // 户外广告设施设置审批 (门店招牌)
  { item: '445100-XFJYZD-XK-001', dept: XFJYZD, tag: 'xf' },  // 消防安全检查
  { item: '445100-ZFCXJSJ-XK-002', dept: ZFCXJSJ, tag: 'zj' },  // 城镇污水排入排水管网许可
];
const REFUSING = CGZFJ;

let srv;
const s = {};
let company;
before(async () => {
  srv = await startServer();
  const staff = { clerk: addStaff(srv, 'lead_clerk', SCJGJ, 'clerk') };
  for (const p of PARTS) {
    staff[`${p.tag}_a`] = addStaff(srv, `${p.tag}_review_a`, p.dept, 'reviewer');
    staff[`${p.tag}_b`] = addStaff(srv, `${p.tag}_review_b`, p.dept, 'reviewer');
    staff[`${p.tag}_approver`] = addStaff(srv, `${p.tag}_approver`, p.dept, 'approver');
  }
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  company = await registerOrganisation(srv, creditCode('91445100MA4W0B00'), '潮州市好味道餐饮有限公司');
  s.company = await signIn(srv, company);
});
after(async () => { await srv.stop(); });

/** One set of data for every item of the bundle: common fields once. */
async function bundleData() {
  const layout = await uploadPdf(srv, s.company, '平面布局图.pdf');
  const rendering = await uploadPdf(srv, s.company, '招牌效果图.pdf');
  const drains = await uploadPdf(srv, s.company, '排水管网图.pdf');
  return {
    ...foodLicenceData(layout, { code: company.login }),
    applicant_name: company.name,
    applicant_kind: 'organisation',
    site: '潮州市湘桥区太平路100号首层外墙',
    ad_kind: 'shop_sign',
    width: '6',
    height: '1.2',
    until: '2028-12-31',
    rendering: [rendering],
    contact: '王五',
    venue_name: '好味道餐厅',
    venue_kind: 'other',
    floor_area: '120',
    floors: '1层',
    capacity: '60',
    approach: 'commitment',
    drainer_kind: 'catering',
    daily_volume: '5',
    outlets: '1',
    pretreatment: ['grease_trap'],
    drain_plan: [drains],
  };
}

test('a bundle: the lead accepts for all, each department decides its own part, one refuses', async () => {
  const filed = await api(srv, s.company, 'POST', '/api/v1/applications', {
    headers: { 'idempotency-key': 'bundle-1' },
    json: { bundle: RESTAURANT_BUNDLE, data: await bundleData(), submit: true },
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const { number } = filed.body;

  let c = await getCase(srv, s.company, number);
  assert.equal(c.bundle, RESTAURANT_BUNDLE);
  assert.equal(c.title, '开办餐饮店');
  assert.equal(c.item, undefined);
  assert.deepEqual(c.parts.map((p) => p.item), PARTS.map((p) => p.item));
  assert.deepEqual(c.parts.map((p) => p.department), PARTS.map((p) => p.dept));
  assert.equal(c.lead_department.code, SCJGJ);

  // Only the lead department accepts (and for all of them).
  const notLead = await act(srv, s.cg_a, number, c.version, 'accept');
  assert.equal(notLead.status, 403, JSON.stringify(notLead.body));
  await actNow(srv, s.clerk, number, 'accept');
  c = await getCase(srv, s.company, number);
  assert.equal(c.state, 'accepted');
  for (const p of c.parts) assert.equal(p.state, 'review', p.item);

  // Every department finds its own part in its queue.
  for (const p of PARTS) {
    const q = await api(srv, s[`${p.tag}_a`], 'GET', '/api/v1/tasks');
    assert.equal(q.status, 200);
    const rows = q.body.tasks.filter((t) => t.case_number === number);
    assert.equal(rows.length, 1, `${p.dept}: ${JSON.stringify(q.body.tasks)}`);
    assert.equal(rows[0].department, p.dept);
    assert.equal(rows[0].stage, 'review');
  }

  // A reviewer cannot act on another department's part.
  c = await getCase(srv, s.sj_a, number);
  const foreign = await act(srv, s.sj_a, number, c.version, 'review_opinion', { item: PARTS[1].item, opinion: '同意' });
  assert.equal(foreign.status, 403, JSON.stringify(foreign.body));

  for (const p of PARTS) {
    await actNow(srv, s[`${p.tag}_a`], number, 'review_opinion', { item: p.item, opinion: '材料齐全', agree: p.dept !== REFUSING });
    await actNow(srv, s[`${p.tag}_b`], number, 'review_opinion', { item: p.item, opinion: '复核同意', agree: p.dept !== REFUSING });
  }
  c = await getCase(srv, s.company, number);
  assert.equal(c.state, 'in_review');
  for (const p of c.parts) assert.equal(p.state, 'decision', p.item);

  for (const p of PARTS) {
    if (p.dept === REFUSING) {
      await actNow(srv, s[`${p.tag}_approver`], number, 'refuse', {
        item: p.item, reason: '设置地点位于历史文化街区核心保护范围，不得设置该类招牌',
      });
    } else {
      await actNow(srv, s[`${p.tag}_approver`], number, 'approve', { item: p.item });
    }
  }

  c = await getCase(srv, s.company, number);
  assert.equal(c.state, 'refused');
  assert.equal(c.state_label, '不予许可');
  for (const p of c.parts) {
    assert.equal(p.state, p.department === REFUSING ? 'refused' : 'approved', p.item);
    assert.ok(p.decided_on, p.item);
  }
  const refused = c.parts.find((p) => p.department === REFUSING);
  assert.ok(refused.reasons.some((r) => r.includes('历史文化街区')));

  // Each department's own decision document.
  for (const p of PARTS) {
    const want = p.dept === REFUSING ? 'refusal_decision' : 'approval_decision';
    const docs = c.documents.filter((d) => d.kind === want && d.department === p.dept);
    assert.equal(docs.length, 1, `${p.dept} ${want}: ${JSON.stringify(c.documents)}`);
    assert.equal(docs[0].item, p.item);
    const pdf = await download(srv, s.company, docs[0].url);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const page = await fetch(`${srv.url}/verify/${docs[0].verify_code}`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
  }
  assert.equal(c.documents.filter((d) => d.kind === 'acceptance_notice').length >= 1, true);

  // The lead department delivers the results together.
  await actNow(srv, s.clerk, number, 'deliver');
  c = await getCase(srv, s.company, number);
  assert.equal(c.state, 'delivered');
  const decisions = c.events.filter((e) => e.action === 'approve' || e.action === 'refuse');
  assert.deepEqual(decisions.map((e) => e.item).sort(), PARTS.map((p) => p.item).sort());
});
