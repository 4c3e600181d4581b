// `shenpi ratings default --at DATE` (好差评): a case delivered through the API and never
// rated gets the configured default rating once its window has passed, printed by the
// command; a second run records nothing new; a bad date is exit 2 with a Chinese message.
// The server that reads the rating afterwards runs on the delivery day, when it would not
// record a default itself: what it shows was recorded by the command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN } from './server.mjs';
import {
  SCJGJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, actNow, uploadPdf, foodLicenceData,
  citizenId, startOn,
} from './case_helpers.mjs';

/** Runs `shenpi ratings default --at DAY`; resolves to {status, stdout, stderr, defaults}. */
function ratingsDefault(day, dataDir) {
  const r = spawnSync(BIN, ['ratings', 'default', '--at', day, '--data', dataDir], { encoding: 'utf8' });
  const defaults = [...r.stdout.matchAll(/^DEFAULT (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, defaults };
}

test('ratings default: the default after the window, once; a bad date is refused', async () => {
  let srv = await startOn(null, ['--today', '2026-11-02', '--supervise-every', '0']);
  const dir = srv.dataDir;
  try {
    const staff = {
      clerk: addStaff(srv, 'rd_clerk', SCJGJ, 'clerk'),
      reviewerA: addStaff(srv, 'rd_rev_a', SCJGJ, 'reviewer'),
      reviewerB: addStaff(srv, 'rd_rev_b', SCJGJ, 'reviewer'),
      approver: addStaff(srv, 'rd_appr', SCJGJ, 'approver'),
    };
    const s = {};
    for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
    const person = await registerPerson(srv, citizenId('44510219850101', '011'), '郑默认');
    s.applicant = await signIn(srv, person);
    // Filed, accepted, reviewed twice, approved and delivered on Monday 11/2.
    const upload = await uploadPdf(srv, s.applicant);
    const filed = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
      json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const { number } = filed.body;
    await actNow(srv, s.clerk, number, 'accept');
    await actNow(srv, s.reviewerA, number, 'review_opinion', { opinion: '符合条件', agree: true });
    await actNow(srv, s.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
    await actNow(srv, s.approver, number, 'approve');
    await actNow(srv, s.clerk, number, 'deliver');
    const before = await api(srv, s.applicant, 'GET', `/api/v1/cases/${number}/rating`);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.rating, null);
    assert.equal(before.body.can_rate, true);
    await srv.stop();

    const bad = ratingsDefault('2026-02-30', dir);
    assert.equal(bad.status, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /日期应为 YYYY-MM-DD/);
    assert.equal(ratingsDefault('11/18/2026', dir).status, 2);

    // 15 calendar days to rate: 11/17 is the last day, so nothing yet.
    const early = ratingsDefault('2026-11-17', dir);
    assert.equal(early.status, 0, early.stderr);
    assert.deepEqual(early.defaults, []);
    assert.match(early.stdout, /^ratings default 2026-11-17: 0 default ratings recorded/m);

    const due = ratingsDefault('2026-11-18', dir);
    assert.equal(due.status, 0, due.stderr);
    assert.deepEqual(due.defaults, [[number, 'satisfied']], due.stdout);
    assert.match(due.stdout, /^ratings default 2026-11-18: 1 default ratings recorded \(满意\)$/m);

    const again = ratingsDefault('2026-11-18', dir);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(again.defaults, [], 'a second run records nothing new');
    assert.match(again.stdout, /: 0 default ratings recorded/);
    assert.deepEqual(ratingsDefault('2026-12-31', dir).defaults, [], 'nor does a later one');

    srv = await startOn(dir, ['--today', '2026-11-02', '--supervise-every', '0'], { demo: false });
    const applicant = await signIn(srv, person);
    const view = await api(srv, applicant, 'GET', `/api/v1/cases/${number}/rating`);
    assert.equal(view.status, 200, JSON.stringify(view.body));
    assert.equal(view.body.rating.level, 'satisfied');
    assert.equal(view.body.rating.defaulted, true);
    assert.equal(view.body.can_rate, false);
    const late = await api(srv, applicant, 'POST', `/api/v1/cases/${number}/rating`, { json: { level: 'very_satisfied' } });
    assert.equal(late.status, 409, JSON.stringify(late.body));
  } finally {
    await srv.stop({ remove: true });
  }
});
