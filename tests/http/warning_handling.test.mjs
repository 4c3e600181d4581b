// Handling e-supervision warnings (电子监察警示) against the real binary: the department's
// business lead explains a warning (说明情况), the supervision bureau closes it (办结); who
// may do which (403), who may not even see it (404), a note is required (400), a closed
// warning stays closed (409), each change in the audit trail. The same through the pages'
// forms (the department's list and the centre's dashboard), and the header's links to
// each person's own areas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, uploadPdf, foodLicenceData,
  citizenId, startOn,
} from './case_helpers.mjs';

const JCJ = '445100-JCJ';  // 潮州市监察局 (the supervision bureau)
const XZFWZX = '445100-XZFWZX';  // 行政服务中心 (the service centre)

async function postForm(srv, session, path, fields) {
  const body = new URLSearchParams({ csrf_token: session.csrf, ...fields }).toString();
  const res = await fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body,
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

async function page(srv, session, path) {
  const res = await fetch(srv.url + path, { headers: { cookie: session.cookie, accept: 'text/html' }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

test('a warning explained by the department and closed by the bureau, once', async () => {
  // Filed on Monday 9/28 and never accepted: late from 10/12 (after National Day).
  let srv = await startOn(null, ['--today', '2026-09-28', '--supervise-every', '0']);
  const dir = srv.dataDir;
  try {
    const staff = {
      clerk: addStaff(srv, 'wh_clerk', SCJGJ, 'clerk'),
      lead: addStaff(srv, 'wh_lead', SCJGJ, 'business_lead'),
      admin: addStaff(srv, 'wh_admin', SCJGJ, 'dept_admin'),
      other: addStaff(srv, 'wh_other_lead', CGZFJ, 'business_lead'),
      bureau: addStaff(srv, 'wh_supervisor', JCJ, 'supervisor'),
      centre: addStaff(srv, 'wh_centre', XZFWZX, 'centre_admin'),
    };
    const person = await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明');
    const applicant = await signIn(srv, person);
    const upload = await uploadPdf(srv, applicant);
    const filed = await api(srv, applicant, 'POST', '/api/v1/applications', {
      json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const number = filed.body.number;
    await srv.stop();
    const out = execFileSync(BIN, ['supervise', '--at', '2026-10-12', '--data', dir]).toString();
    assert.match(out, /2 warnings created/, out);

    srv = await startOn(dir, ['--today', '2026-10-16', '--supervise-every', '0'], { demo: false });
    const s = { applicant: await signIn(srv, person) };
    for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
    const list = (await api(srv, s.bureau, 'GET', `/api/v1/supervision/warnings?case=${number}`)).body.warnings;
    assert.deepEqual(list.map((w) => w.rule).sort(), ['acceptance_late', 'case_late']);
    const w = list.find((x) => x.rule === 'acceptance_late');
    const other = list.find((x) => x.rule === 'case_late');
    const ack = (who, id, note) => api(srv, who, 'POST', `/api/v1/supervision/warnings/${id}/acknowledge`, { json: { note } });
    const close = (who, id, note) => api(srv, who, 'POST', `/api/v1/supervision/warnings/${id}/close`, { json: { note } });
    const note = '因系统切换，受理延误；已于10月16日补办受理手续。';

    // Who may explain: the department's business lead or administrator, nobody else.
    assert.equal((await ack(null, w.id, note)).status, 401);
    assert.equal((await ack(s.applicant, w.id, note)).status, 403);
    const byCentre = await ack(s.centre, w.id, note);
    assert.equal(byCentre.status, 403);
    assert.equal(byCentre.body.error.code, 'not_department_lead');
    assert.equal((await ack(s.clerk, w.id, note)).status, 403, 'a clerk sees it but does not answer for it');
    assert.equal((await ack(s.other, w.id, note)).status, 404, 'another department does not learn it exists');
    assert.equal((await ack(s.lead, 999999, note)).status, 404);
    assert.equal((await ack(s.lead, 'abc', note)).status, 404);
    const noNote = await ack(s.lead, w.id, '   ');
    assert.equal(noNote.status, 400);
    assert.equal(noNote.body.error.field, 'note');
    assert.equal((await ack(s.lead, w.id, '长'.repeat(2001))).status, 400);
    const noToken = await fetch(`${srv.url}/api/v1/supervision/warnings/${w.id}/acknowledge`, {
      method: 'POST', headers: { cookie: s.lead.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ note }),
    });
    assert.equal(noToken.status, 403, 'no CSRF token');

    const acked = await ack(s.lead, w.id, note);
    assert.equal(acked.status, 200, JSON.stringify(acked.body));
    assert.equal(acked.body.warning.id, w.id);
    assert.equal(acked.body.warning.state, 'acknowledged');
    assert.equal(acked.body.warning.case_number, number);
    assert.equal((await ack(s.admin, w.id, '补充说明：已约谈窗口负责人。')).status, 200, 'the administrator may explain further');
    // The administrator reads no cases, yet answers for the department's warnings: the
    // list and the page show them their own department's warnings.
    const adminList = await api(srv, s.admin, 'GET', `/api/v1/supervision/warnings?case=${number}`);
    assert.equal(adminList.status, 200, JSON.stringify(adminList.body));
    assert.ok(adminList.body.warnings.some((x) => x.id === w.id), 'the warning is in the administrator\'s list');
    const adminPage = await page(srv, s.admin, '/supervision/warnings');
    assert.equal(adminPage.status, 200);

    // Who may close: the centre or the bureau.
    const byLead = await close(s.lead, w.id, '已整改');
    assert.equal(byLead.status, 403);
    assert.equal(byLead.body.error.code, 'not_overseer');
    assert.equal((await close(s.bureau, w.id, '')).status, 400);
    const closed = await close(s.bureau, w.id, '经核实，情况属实，予以办结。');
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.warning.state, 'closed');
    const again = await ack(s.lead, w.id, note);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'warning_closed');
    assert.equal((await close(s.centre, w.id, '再次办结')).status, 409);
    assert.deepEqual(
      (await api(srv, s.clerk, 'GET', `/api/v1/supervision/warnings?state=closed`)).body.warnings.map((x) => x.id), [w.id]);

    // The trail: each change with its note, by whom.
    const audit = await page(srv, s.centre, '/admin/audit/export.csv?action=supervision.warning_acknowledge');
    assert.equal(audit.status, 200);
    assert.equal(audit.text.split('supervision.warning_acknowledge').length - 1 >= 2, true, audit.text.slice(0, 400));
    const closes = await page(srv, s.centre, '/admin/audit/export.csv?action=supervision.warning_close');
    assert.match(closes.text, /wh_supervisor/);

    // The department's view: the lead's list has the form; posting it explains the warning.
    const leadList = await page(srv, s.lead, '/supervision/warnings');
    assert.equal(leadList.status, 200);
    assert.match(leadList.text, new RegExp(`action="/supervision/warnings/${other.id}/acknowledge"`));
    assert.doesNotMatch(leadList.text, new RegExp(`action="/supervision/warnings/${w.id}/acknowledge"`), 'closed: no form');
    assert.doesNotMatch(leadList.text, /\/close"/, 'the department does not close');
    const empty = await postForm(srv, s.lead, `/supervision/warnings/${other.id}/acknowledge`, { note: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /请填写情况说明/);
    const posted = await postForm(srv, s.lead, `/supervision/warnings/${other.id}/acknowledge`, { note: '正在督办审查环节。' });
    assert.equal(posted.status, 303, posted.text.slice(0, 300));
    assert.match(posted.location, /^\/supervision\/warnings\?handled=acknowledged/);
    assert.equal((await postForm(srv, s.other, `/supervision/warnings/${other.id}/acknowledge`, { note: 'x' })).status, 404);

    // The centre's dashboard: a close form on each warning not yet closed.
    const dash = await page(srv, s.centre, '/supervision');
    assert.equal(dash.status, 200);
    assert.match(dash.text, new RegExp(`action="/supervision/warnings/${other.id}/close"`));
    assert.doesNotMatch(dash.text, new RegExp(`action="/supervision/warnings/${w.id}/close"`));
    const done = await postForm(srv, s.centre, `/supervision/warnings/${other.id}/close`, { note: '已督办到位。', back: 'dashboard' });
    assert.equal(done.status, 303);
    assert.match(done.location, /^\/supervision\?handled=closed/);
    assert.match((await page(srv, s.centre, done.location)).text, /警示已办结/);
    const after = (await api(srv, s.bureau, 'GET', `/api/v1/supervision/warnings?case=${number}`)).body.warnings;
    assert.deepEqual(after.map((x) => x.state), ['closed', 'closed']);

    // The header: each person's own areas.
    const nav = (html) => [...(html.match(/<nav class="site-nav user-nav" aria-label="我的办事">([\s\S]*?)<\/nav>/) || ['', ''])[1]
      .matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(nav((await page(srv, s.applicant, '/my/cases')).text), ['我的办件 /my/cases', '消息 /inbox']);
    assert.deepEqual(nav(dash.text), ['工作台 /work', '消息 /inbox', '电子监察 /supervision', '绩效评估 /supervision/performance',
      '人员管理 /admin/staff', '审计日志 /admin/audit', '节假日设置 /admin/calendar']);
    assert.deepEqual(nav(leadList.text), ['工作台 /work', '消息 /inbox', '警示处理 /supervision/warnings', '绩效评估 /supervision/performance']);
    assert.deepEqual(nav((await page(srv, s.clerk, '/inbox')).text), ['工作台 /work', '消息 /inbox']);
    assert.deepEqual(nav((await page(srv, s.bureau, '/inbox')).text).slice(0, 4),
      ['工作台 /work', '消息 /inbox', '电子监察 /supervision', '绩效评估 /supervision/performance']);
    const publicPage = await (await fetch(`${srv.url}/`, { headers: { cookie: s.applicant.cookie } })).text();
    assert.doesNotMatch(publicPage, /我的办事/, 'cached public pages stay the same for everyone');
  } finally {
    await srv.stop({ remove: true });
  }
});
