// E-supervision (电子监察) against the real binary: the clock run through the 2026 National
// Day holiday with `shenpi supervise --at` (9/25–9/27 and 10/1–10/7 off, 10/10 a working
// Saturday), the warning list as the bureau, the centre, a department and an applicant see
// it, the business lead told in the inbox; and two `shenpi serve` nodes on one PostgreSQL
// running the job at once: every warning once, and the survivor carrying on alone when the
// other is killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, freshPostgres } from './server.mjs';
import {
  SCJGJ, CGZFJ, FOOD_LICENCE, registerPerson, signIn, api, actNow, uploadPdf, foodLicenceData,
  citizenId, startOn,
} from './case_helpers.mjs';

const JCJ = '445100-JCJ';  // 潮州市监察局 (the supervision bureau)
const XZFWZX = '445100-XZFWZX';  // 行政服务中心 (the service centre)

/** A trained staff member made with the CLI on `dataDir` (and `db` when given). */
function addStaff(dataDir, username, dept, roles, db) {
  const password = `${username} passphrase long`;
  const where = ['--data', dataDir, ...(db ? ['--db', db] : [])];
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept];
  for (const r of [].concat(roles)) args.push('--role', r);
  const out = execFileSync(BIN, [...args, '--password-stdin', ...where], { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31', ...where]);
  return { username, password, secret };
}

/** Runs `shenpi supervise --at DAY`; returns {created: [[case, dept, rule, days]], summary}. */
function supervise(day, dataDir, db) {
  const args = ['supervise', '--at', day, '--data', dataDir, ...(db ? ['--db', db] : [])];
  const out = execFileSync(BIN, args).toString();
  const created = [...out.matchAll(/^WARNING (\S+) (\S+) (\S+) (\d+)$/gm)].map((m) => [m[1], m[2], m[3], Number(m[4])]);
  return { created, summary: out.trim().split('\n').pop() };
}

async function fileCase(srv, session) {
  const upload = await uploadPdf(srv, session);
  const r = await api(srv, session, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.number;
}

async function warnings(srv, session, query = '') {
  const r = await api(srv, session, 'GET', `/api/v1/supervision/warnings${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.warnings;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('the clock through National Day: acceptance late from 10/12, once, growing by working days', async () => {
  // Filed on Monday 9/28 (the acceptance limit, 5 working days, ends on the make-up Saturday
  // 10/10), with the job off so that only `supervise --at` acts.
  let srv = await startOn(null, ['--today', '2026-09-28', '--supervise-every', '0']);
  const dir = srv.dataDir;
  try {
    const staff = {
      clerk: addStaff(dir, 'sj_clerk', SCJGJ, 'clerk'),
      lead: addStaff(dir, 'sj_lead', SCJGJ, 'business_lead'),
      other: addStaff(dir, 'cg_clerk', CGZFJ, 'clerk'),
      bureau: addStaff(dir, 'jc_supervisor', JCJ, 'supervisor'),
      centre: addStaff(dir, 'zx_admin', XZFWZX, 'centre_admin'),
    };
    const applicant = await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明');
    const a = await signIn(srv, applicant);
    const waiting = await fileCase(srv, a);  // never accepted
    const accepted = await fileCase(srv, a);
    const clerk = await signIn(srv, staff.clerk);
    await actNow(srv, clerk, accepted, 'accept');
    await srv.stop();

    for (const day of ['2026-09-30', '2026-10-07', '2026-10-10', '2026-10-11']) {
      assert.deepEqual(supervise(day, dir).created, [], `${day}: nothing late yet`);
    }
    // Monday 10/12: one working day past both limits. The waiting case's acceptance is
    // late, and (deemed accepted on 9/28, law Art. 32) so is its decision clock on the
    // item's promised 5 days; the accepted one is late on the same clock, held up at review.
    const first = supervise('2026-10-12', dir);
    assert.deepEqual(first.created, [
      [waiting, SCJGJ, 'acceptance_late', 1],
      [waiting, SCJGJ, 'case_late', 1],
      [accepted, SCJGJ, 'case_late', 1],
      [accepted, SCJGJ, 'task_late', 1],
    ], first.summary);
    assert.deepEqual(supervise('2026-10-12', dir).created, [], 'the same day again creates nothing');
    const later = supervise('2026-10-16', dir);
    assert.deepEqual(later.created, []);
    assert.match(later.summary, /0 warnings created, 4 updated/);

    srv = await startOn(dir, ['--today', '2026-10-16', '--supervise-every', '0'], { demo: false });
    // Sessions live in the database: the clerk's survives the restart (and a TOTP step
    // signs an account in only once).
    const s = { clerk };
    for (const k of ['lead', 'other', 'bureau', 'centre']) s[k] = await signIn(srv, staff[k]);
    s.applicant = await signIn(srv, applicant);

    // The bureau and the centre see the city; the department its own; others nothing.
    const all = await warnings(srv, s.bureau);
    assert.equal(all.length, 4);
    const acceptance = all.find((w) => w.rule === 'acceptance_late');
    assert.deepEqual(
      { case_number: acceptance.case_number, department: acceptance.department, days_late: acceptance.days_late, state: acceptance.state },
      { case_number: waiting, department: SCJGJ, days_late: 5, state: 'open' },
      '10/12 to 10/16: five working days late');
    assert.equal(typeof acceptance.id, 'number');
    assert.equal(acceptance.department_name, '潮州市市场监督管理局');
    for (const w of all) assert.equal(w.days_late, 5);
    assert.deepEqual(await warnings(srv, s.centre, `?dept=${SCJGJ}&state=open`), all);
    assert.deepEqual((await warnings(srv, s.bureau, `?case=${accepted}`)).map((w) => w.rule).sort(), ['case_late', 'task_late']);
    assert.deepEqual(await warnings(srv, s.bureau, '?state=closed'), []);
    assert.deepEqual(await warnings(srv, s.clerk), all);
    assert.deepEqual(await warnings(srv, s.other), [], 'another department sees none of it');
    assert.equal((await api(srv, s.other, 'GET', `/api/v1/supervision/warnings?dept=${SCJGJ}`)).status, 403);
    assert.equal((await api(srv, s.applicant, 'GET', '/api/v1/supervision/warnings')).status, 403);
    assert.equal((await api(srv, null, 'GET', '/api/v1/supervision/warnings')).status, 401);
    assert.equal((await api(srv, s.bureau, 'GET', '/api/v1/supervision/warnings?state=red')).status, 400);

    // The department's business lead is told (the outbox fans out within a second).
    let messages = [];
    for (let i = 0; i < 50 && messages.length < 2; i++) {
      const inbox = await api(srv, s.lead, 'GET', '/api/v1/inbox');
      messages = inbox.body.messages.filter((m) => m.case_number === waiting);
      if (messages.length < 2) await sleep(200);
    }
    assert.equal(messages.length, 2, 'the business lead is told of each warning of the case once');
    assert.ok(messages.some((m) => /受理超期，超期 1 个工作日/.test(m.body)), messages.map((m) => m.body).join('\n'));
  } finally {
    await srv.stop({ remove: true });
  }
});

test('two nodes on one PostgreSQL: every warning once, and the survivor goes on when one is killed', async (t) => {
  const pg = freshPostgres();
  if (!pg) { t.skip('SHENPI_TEST_PG_URL not set'); return; }
  const cliDir = mkdtempSync(join(tmpdir(), 'shenpi-supervise-'));
  // The filing node lives before the holiday; its job finds nothing due on its day.
  const filing = await startServer({ db: pg.url, args: ['--today', '2026-09-28', '--supervise-every', '0'] });
  const nodes = [];
  try {
    const bureauStaff = addStaff(filing.dataDir, 'jc_supervisor', JCJ, 'supervisor', pg.url);
    const applicant = await registerPerson(filing, citizenId('44510219900307', '123'), '陈小明');
    const a = await signIn(filing, applicant);
    const numbers = [];
    for (let i = 0; i < 4; i++) numbers.push(await fileCase(filing, a));

    // The nodes share the data directory's keys (as real nodes share them), not a database.
    const args = ['--today', '2026-10-14', '--supervise-every', '1', '--db', pg.url];
    nodes.push(await startOn(filing.dataDir, args, { demo: false }));
    nodes.push(await startOn(filing.dataDir, args, { demo: false }));
    const [nodeA, nodeB] = nodes;
    const bureau = await signIn(nodeB, bureauStaff);

    const waitFor = async (n) => {
      let list = [];
      for (let i = 0; i < 100; i++) {
        list = await warnings(nodeB, bureau);
        if (list.length >= n) break;
        await sleep(200);
      }
      return list;
    };
    const keys = (list) => list.filter((w) => w.rule === 'acceptance_late').map((w) => w.case_number).sort();
    const unique = (list) => new Set(list.map((w) => `${w.case_number}/${w.rule}/${w.part_seq}/${w.task_id}`)).size;

    let list = await waitFor(numbers.length * 2);
    await sleep(2500);  // both nodes pass again, twice or more
    list = await warnings(nodeB, bureau);
    assert.deepEqual(keys(list), [...numbers].sort(), 'each case late once');
    assert.equal(unique(list), list.length, 'no warning twice');
    const count = list.length;
    for (const w of list) assert.equal(w.days_late, 3);  // 10/12, 10/13, 10/14 past 10/10
    assert.deepEqual(await warnings(nodeA, bureau), list, 'both nodes answer alike (one session, one database)');

    // Node A dies without a word; new late work appears; B alone finds all of it.
    const gone = new Promise((resolve) => nodeA.proc.on('exit', resolve));
    nodeA.proc.kill('SIGKILL');
    await gone;
    for (let i = 0; i < 2; i++) numbers.push(await fileCase(filing, a));
    list = await waitFor(numbers.length * 2);
    await sleep(1500);
    list = await warnings(nodeB, bureau);
    assert.deepEqual(keys(list), [...numbers].sort());
    assert.equal(unique(list), list.length, 'no warning twice');
    assert.equal(list.length, count / 4 * 6, 'the new cases got the same warnings as the first');

    // A pass run by hand for the same day finds nothing new.
    assert.deepEqual(supervise('2026-10-14', cliDir, pg.url).created, []);
  } finally {
    for (const n of nodes) await n.stop();
    await filing.stop();
    rmSync(cliDir, { recursive: true, force: true });
    pg.drop();
  }
});
