// Registration at the service window (窗口代注册) with the staff override of a check digit
// that fails (issue 3: "a staff override with a reason (audited) for real legacy codes"),
// through the JSON API and the /work/register page, against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { addStaff, citizenId, signIn, api, SCJGJ } from './case_helpers.mjs';

// A number right in every part but its check character.
function legacyId(first14, seq3) {
  const good = citizenId(first14, seq3);
  return good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
}

let srv;
let clerk, reviewer, officer;
before(async () => {
  srv = await startServer();
  clerk = await signIn(srv, addStaff(srv, 'window1', SCJGJ, ['clerk']));
  reviewer = await signIn(srv, addStaff(srv, 'reviewer1', SCJGJ, ['reviewer']));
  officer = await signIn(srv, addStaff(srv, 'officer1', SCJGJ, ['security_officer']));
});
after(async () => { await srv.stop(); });

const person = (idNumber, extra = {}) => ({
  kind: 'person', name: '陈老伯', id_number: idNumber, mobile: '13812345678', password: 'window passphrase', ...extra,
});
const REASON = '校验位不符，已核验1998年签发的居民身份证原件';

async function page(path, session, { method = 'GET', form } = {}) {
  const headers = { accept: 'text/html' };
  if (session) headers.cookie = session.cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  return { res, text: await res.text() };
}

test('API: only a signed-in clerk with a reason may override the check digit', async () => {
  const id = legacyId('44510219500101', '013');
  // Anonymous, with or without a reason: the check stays strict.
  for (const body of [person(id), person(id, { check_override_reason: REASON })]) {
    const r = await api(srv, null, 'POST', '/api/v1/accounts', { json: body });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'id_number');
    assert.equal(r.body.error.code, 'citizen_id_check');
  }
  // The clerk without a reason: strict too.
  const noReason = await api(srv, clerk, 'POST', '/api/v1/accounts', { json: person(id) });
  assert.equal(noReason.status, 400);
  // A reviewer may not register at the window; a clerk's request without the CSRF header is refused.
  const reviewerTry = await api(srv, reviewer, 'POST', '/api/v1/accounts',
    { json: person(id, { check_override_reason: REASON }) });
  assert.equal(reviewerTry.status, 403);
  const noCsrf = await api(srv, { cookie: clerk.cookie, csrf: 'wrong' }, 'POST', '/api/v1/accounts',
    { json: person(id, { check_override_reason: REASON }) });
  assert.equal(noCsrf.status, 403);
  // A structurally wrong number stays wrong whatever the reason.
  const region = await api(srv, clerk, 'POST', '/api/v1/accounts',
    { json: person('9' + id.slice(1), { check_override_reason: REASON }) });
  assert.equal(region.status, 400);
  assert.equal(region.body.error.code, 'citizen_id_region');

  const made = await api(srv, clerk, 'POST', '/api/v1/accounts', { json: person(id, { check_override_reason: REASON }) });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.check_overridden, true);
  assert.equal(made.body.login, `${id.slice(0, 4)}**********${id.slice(14)}`);

  // The applicant then signs in with the number as printed on the card.
  const s = await api(srv, null, 'POST', '/api/v1/session', { json: { login: id, password: 'window passphrase' } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.account.kind, 'person');

  // The security officer of the clerk's department finds the entry: clerk, reason, masked number.
  const trail = await page('/admin/audit?action=account.register_override', officer);
  assert.equal(trail.res.status, 200);
  assert.match(trail.text, /window1/);
  assert.match(trail.text, new RegExp(REASON));
  assert.match(trail.text, new RegExp(`${id.slice(0, 4)}\\*{10}${id.slice(14)}`));
  assert.doesNotMatch(trail.text, new RegExp(id));
});

test('page: /work/register asks for the box and a reason, and registers the applicant', async () => {
  const anon = await page('/work/register');
  assert.equal(anon.res.status, 303);
  assert.equal(anon.res.headers.get('location'), '/login?next=%2Fwork%2Fregister');
  assert.equal((await page('/work/register', reviewer)).res.status, 403);

  const form = await page('/work/register', clerk);
  assert.equal(form.res.status, 200);
  assert.equal(form.res.headers.get('cache-control'), 'no-store');
  assert.match(form.text, /<h1>窗口代注册<\/h1>/);
  assert.match(form.text, /<label for="f-check_override">校验位不符，已核验原件<\/label>/);
  assert.match(form.text, /<textarea id="f-check_override_reason" name="check_override_reason"/);

  const id = legacyId('44512219600202', '024');
  const fields = (extra) => [['csrf_token', clerk.csrf], ['kind', 'person'], ['name', '林阿婆'], ['id_number', id],
    ['mobile', '13912345678'], ['password', 'grandma passphrase'], ['password_confirm', 'grandma passphrase'], ...extra];

  // Without the box: the usual message, with a pointer to the override.
  const strict = await page('/work/register', clerk, { method: 'POST', form: fields([]) });
  assert.equal(strict.res.status, 400);
  assert.match(strict.text, /校验码错误/);
  assert.match(strict.text, /可勾选“校验位不符，已核验原件”/);
  // The box without a reason.
  const noReason = await page('/work/register', clerk, { method: 'POST', form: fields([['check_override', '1']]) });
  assert.equal(noReason.res.status, 400);
  assert.match(noReason.text, /id="f-check_override_reason-error"/);
  assert.match(noReason.text, /aria-invalid="true"/);
  // No CSRF token.
  const forged = await page('/work/register', clerk, { method: 'POST',
    form: fields([['check_override', '1'], ['check_override_reason', REASON]]).filter(([k]) => k !== 'csrf_token') });
  assert.equal(forged.res.status, 403);

  const done = await page('/work/register', clerk, { method: 'POST',
    form: fields([['check_override', '1'], ['check_override_reason', '已核验户口簿及身份证原件']]) });
  assert.equal(done.res.status, 201, done.text);
  assert.match(done.text, /已为 林阿婆 注册账户/);
  assert.match(done.text, /校验位不符，已核验原件（已记入审计日志）/);
  assert.doesNotMatch(done.text, new RegExp(id), 'the number is shown masked');

  const again = await page('/work/register', clerk, { method: 'POST',
    form: fields([['check_override', '1'], ['check_override_reason', '重复提交']]) });
  assert.equal(again.res.status, 409);

  const s = await api(srv, null, 'POST', '/api/v1/session', { json: { login: id, password: 'grandma passphrase' } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
});

test('page: an organisation with a legacy credit code, registered by the clerk', async () => {
  const legacyCode = '91350100M000100Y44';  // GB 32100's example with a wrong final check character
  const form = await page('/work/register?kind=organisation', clerk);
  assert.match(form.text, /统一社会信用代码/);
  const done = await page('/work/register', clerk, { method: 'POST', form: [['csrf_token', clerk.csrf],
    ['kind', 'organisation'], ['name', '潮州市老字号食品厂'], ['credit_code', legacyCode], ['representative', '林某'],
    ['agent_name', '黄某'], ['agent_id_number', citizenId('44510219850615', '021')], ['mobile', '13912345678'],
    ['password', 'factory passphrase'], ['password_confirm', 'factory passphrase'],
    ['check_override', '1'], ['check_override_reason', '已核验2012年版营业执照原件']] });
  assert.equal(done.res.status, 201, done.text);
  const s = await api(srv, null, 'POST', '/api/v1/session', { json: { login: legacyCode.toLowerCase(), password: 'factory passphrase' } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.account.kind, 'organisation');
});
