// Rectification notices (整改通知) and the supervision dashboard (监察看板) against the real
// binary: two food-licence cases filed on 9/28 run late through the National Day holiday
// (`shenpi supervise --at 2026-10-12`); on 10/16 the bureau sees them on the dashboard
// (signals, late list, warnings, SVG charts, CSV and XLSX export) and issues a notice to
// the market regulator, whose business lead answers it; an unanswered notice turns red by
// itself once its deadline has passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, registerPerson, signIn, api, actNow, uploadPdf, foodLicenceData,
  citizenId, startOn, download,
} from './case_helpers.mjs';

const JCJ = '445100-JCJ';
const XZFWZX = '445100-XZFWZX';

function addStaff(dataDir, username, dept, roles) {
  const password = `${username} passphrase long`;
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept];
  for (const r of [].concat(roles)) args.push('--role', r);
  const out = execFileSync(BIN, [...args, '--password-stdin', '--data', dataDir], { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31', '--data', dataDir]);
  return { username, password, secret };
}

async function fileCase(srv, session) {
  const upload = await uploadPdf(srv, session);
  const r = await api(srv, session, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.number;
}

async function page(srv, session, path) {
  const res = await fetch(srv.url + path, { headers: session ? { cookie: session.cookie } : {}, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function postForm(srv, session, path, fields) {
  const body = new URLSearchParams({ csrf_token: session.csrf, ...fields }).toString();
  const res = await fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body,
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Python's zipfile and XML parser read the workbook: the parts' names and the cell text. */
function readXlsx(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-xlsx-'));
  try {
    const file = join(dir, 'book.xlsx');
    writeFileSync(file, bytes);
    const script = `
import json, sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
out = {"names": z.namelist(), "text": {}}
for n in z.namelist():
    doc = xml.dom.minidom.parseString(z.read(n))
    if n.startswith("xl/worksheets/"):
        out["text"][n] = [t.firstChild.data if t.firstChild else "" for t in doc.getElementsByTagName("t")] + \\
                         [v.firstChild.data for v in doc.getElementsByTagName("v")]
    if n == "xl/workbook.xml":
        out["sheets"] = [s.getAttribute("name") for s in doc.getElementsByTagName("sheet")]
print(json.dumps(out, ensure_ascii=False))`;
    return JSON.parse(execFileSync('python3', ['-c', script, file]).toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the dashboard, its exports, and a rectification notice from issue to reply to red', async () => {
  let srv = await startOn(null, ['--today', '2026-09-28', '--supervise-every', '0']);
  const dir = srv.dataDir;
  try {
    const staff = {
      clerk: addStaff(dir, 'db_clerk', SCJGJ, 'clerk'),
      lead: addStaff(dir, 'db_lead', SCJGJ, 'business_lead'),
      otherLead: addStaff(dir, 'db_cg_lead', CGZFJ, 'business_lead'),
      bureau: addStaff(dir, 'db_supervisor', JCJ, 'supervisor'),
      centre: addStaff(dir, 'db_centre', XZFWZX, 'centre_admin'),
    };
    const applicant = await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明');
    const a = await signIn(srv, applicant);
    const waiting = await fileCase(srv, a);
    const accepted = await fileCase(srv, a);
    const clerk = await signIn(srv, staff.clerk);
    await actNow(srv, clerk, accepted, 'accept');
    await srv.stop();
    execFileSync(BIN, ['supervise', '--at', '2026-10-12', '--data', dir]);
    execFileSync(BIN, ['supervise', '--at', '2026-10-16', '--data', dir]);

    srv = await startOn(dir, ['--today', '2026-10-16', '--supervise-every', '0'], { demo: false });
    const s = { clerk };
    for (const k of ['lead', 'otherLead', 'bureau', 'centre']) s[k] = await signIn(srv, staff[k]);
    s.applicant = await signIn(srv, applicant);

    // ---- the dashboard ----
    const d = await page(srv, s.bureau, '/supervision');
    assert.equal(d.status, 200, d.text);
    assert.equal(d.headers.get('cache-control'), 'no-store');
    assert.match(d.text, /<meta http-equiv="refresh" content="60">/);
    assert.match(d.text, /<svg[^>]*role="img"/);
    assert.match(d.text, /<desc id="chart-signals-desc">潮州市市场监督管理局：共 2（绿灯 0，黄灯 0，红灯 2）；<\/desc>/);
    assert.match(d.text, /红灯 2<\/span>/);
    for (const n of [waiting, accepted]) assert.ok(d.text.includes(n), `late list names ${n}`);
    // Due 10/9 (5 working days from 9/28 over the holiday, 10/10 a working Saturday): 10/12–10/16 late.
    assert.match(d.text, new RegExp(`${waiting}</td><td>[^<]*</td><td>潮州市市场监督管理局</td><td>2026-10-\\d\\d</td><td>\\d+</td>`));
    assert.match(d.text, /受理超期/);
    assert.match(d.text, /电子监察警示（共 4 条）/);

    assert.equal((await page(srv, s.centre, '/supervision')).status, 200, 'the centre sees it too');
    const filtered = await page(srv, s.centre, `/supervision?dept=${CGZFJ}`);
    assert.equal(filtered.status, 200);
    assert.match(filtered.text, /暂无超期办件/);
    assert.match(filtered.text, /电子监察警示（共 0 条）/);
    const byRule = await page(srv, s.bureau, '/supervision?rule=acceptance_late&state=open&from=2026-10-01&to=2026-10-31');
    assert.match(byRule.text, /电子监察警示（共 1 条）/);
    assert.equal((await page(srv, s.bureau, '/supervision?rule=red')).status, 400);
    assert.equal((await page(srv, s.bureau, '/supervision?from=yesterday')).status, 400);
    assert.equal((await page(srv, s.clerk, '/supervision')).status, 403, 'a department does not see the city');
    assert.equal((await page(srv, s.applicant, '/supervision')).status, 403);
    const anon = await page(srv, null, '/supervision');
    assert.equal(anon.status, 303);
    assert.match(anon.headers.get('location'), /^\/login\?next=/);

    // ---- exports ----
    const csv = await download(srv, s.bureau, `/supervision/export.csv?dept=${SCJGJ}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="supervision-2026-10-16.csv"/);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const csvText = csv.bytes.toString('utf8');
    assert.match(csvText, /\r\n445100-SCJGJ,潮州市市场监督管理局,0,0,2,2\r\n/);
    assert.ok(csvText.includes(waiting) && csvText.includes(accepted));
    assert.equal((await download(srv, s.clerk, '/supervision/export.csv')).status, 403);

    const xlsx = await download(srv, s.bureau, '/supervision/export.xlsx');
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
    const book = readXlsx(xlsx.bytes);
    assert.deepEqual(book.sheets, ['在办件', '超期办件', '警示统计', '警示', '整改通知']);
    assert.ok(book.names.includes('[Content_Types].xml'));
    assert.ok(book.text['xl/worksheets/sheet2.xml'].includes(waiting));
    assert.ok(book.text['xl/worksheets/sheet1.xml'].includes('潮州市市场监督管理局'));

    // ---- a rectification notice ----
    const all = (await api(srv, s.bureau, 'GET', '/api/v1/supervision/warnings')).body.warnings;
    const acceptance = all.find((w) => w.rule === 'acceptance_late');
    const issue = (session, json) => api(srv, session, 'POST', '/api/v1/supervision/notices', { json });
    const notice = {
      department: SCJGJ, subject: '食品经营许可受理超期', body: '请于期限内说明超期原因并整改。',
      reply_days: 2, cases: [waiting], warnings: [acceptance.id],
    };
    assert.equal((await issue(s.clerk, notice)).status, 403, 'a clerk issues no notices');
    assert.equal((await issue(s.lead, notice)).status, 403);
    assert.equal((await issue(s.bureau, { ...notice, subject: '' })).status, 400);
    assert.equal((await issue(s.bureau, { ...notice, reply_days: 0 })).status, 400);
    assert.equal((await issue(s.bureau, { ...notice, department: CGZFJ })).status, 400, 'the warning is the market regulator\'s');
    assert.equal((await issue(s.bureau, { ...notice, cases: ['44510020260101099999'] })).status, 404);
    const issued = await issue(s.bureau, notice);
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const n1 = issued.body.notice;
    assert.deepEqual(
      { department: n1.department, department_name: n1.department_name, issued_on: n1.issued_on, reply_due_on: n1.reply_due_on, state: n1.state, status: n1.status, overdue: n1.overdue, cases: n1.cases, warnings: n1.warnings },
      { department: SCJGJ, department_name: '潮州市市场监督管理局', issued_on: '2026-10-16', reply_due_on: '2026-10-20', state: 'open', status: 'awaiting', overdue: false, cases: [waiting], warnings: [acceptance.id] },
      'Friday 10/16 + 2 working days = Tuesday 10/20');
    // A second one, issued by the centre through the page, left unanswered.
    const form = await postForm(srv, s.centre, '/supervision/notices', {
      department: SCJGJ, subject: '审查环节超期', body: '请核查审查环节超期原因。', cases: accepted, warnings: '', reply_days: '1',
    });
    assert.equal(form.status, 303, form.text);
    assert.match(form.location, /^\/supervision\/notices\/\d+\?notice=issued$/);
    const n2id = Number(form.location.match(/notices\/(\d+)/)[1]);
    const badForm = await postForm(srv, s.centre, '/supervision/notices', { department: SCJGJ, subject: '', body: 'x', reply_days: '1' });
    assert.equal(badForm.status, 400);
    assert.match(badForm.text, /请填写通知标题/);

    // Who sees them: the department (its staff), not another department.
    const listed = (session, q = '') => api(srv, session, 'GET', `/api/v1/supervision/notices${q}`);
    assert.deepEqual((await listed(s.lead)).body.notices.map((n) => n.id).sort(), [n1.id, n2id].sort());
    assert.deepEqual((await listed(s.otherLead)).body.notices, []);
    assert.equal((await listed(s.otherLead, `?dept=${SCJGJ}`)).status, 403);
    assert.equal((await listed(s.applicant)).status, 403);
    assert.equal((await listed(s.bureau, '?status=late')).status, 400);
    assert.equal((await api(srv, s.otherLead, 'GET', `/supervision/notices/${n1.id}`)).status, 404);

    // The business lead is told, in the inbox.
    let messages = [];
    for (let i = 0; i < 50 && messages.length < 2; i++) {
      messages = (await api(srv, s.lead, 'GET', '/api/v1/inbox')).body.messages.filter((m) => /整改通知/.test(m.subject));
      if (messages.length < 2) await sleep(200);
    }
    assert.equal(messages.length, 2, JSON.stringify(messages));
    assert.ok(messages.some((m) => /请于 2026-10-20 前答复/.test(m.body)));

    // Only the business lead answers, once.
    const reply = (session, id, text) => api(srv, session, 'POST', `/api/v1/supervision/notices/${id}/reply`, { json: { reply: text } });
    assert.equal((await reply(s.clerk, n1.id, '已整改')).status, 403);
    assert.equal((await reply(s.otherLead, n1.id, '已整改')).status, 404);
    assert.equal((await reply(s.lead, n1.id, '   ')).status, 400);
    const leadPage = await page(srv, s.lead, `/supervision/notices/${n1.id}`);
    assert.match(leadPage.text, /答复整改通知/);
    const answered = await reply(s.lead, n1.id, '已督促窗口当日受理，并完善受理提醒。');
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    assert.deepEqual([answered.body.notice.state, answered.body.notice.status, answered.body.notice.replied_on], ['answered', 'answered', '2026-10-16']);
    assert.equal((await reply(s.lead, n1.id, '再次答复')).status, 409);
    await srv.stop();

    // ---- a week later: the unanswered one is red, by itself ----
    srv = await startOn(dir, ['--today', '2026-10-21', '--supervise-every', '0'], { demo: false });
    const bureau = s.bureau;  // sessions survive the restart (a TOTP step signs in once)
    const later = (await api(srv, bureau, 'GET', '/api/v1/supervision/notices')).body.notices;
    assert.deepEqual(later.map((n) => [n.id, n.status, n.overdue]), [[n2id, 'overdue', true], [n1.id, 'answered', false]],
      'overdue first');
    assert.deepEqual((await api(srv, bureau, 'GET', '/api/v1/supervision/notices?status=overdue')).body.notices.map((n) => n.id), [n2id]);
    const dash = await page(srv, bureau, '/supervision');
    assert.match(dash.text, new RegExp(`<tr class="signal-red"><td><a href="/supervision/notices/${n2id}">`));
    assert.match(dash.text, /逾期未答复/);
  } finally {
    await srv.stop({ remove: true });
  }
});
