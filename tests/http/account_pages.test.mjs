// The identity pages' form endpoints over plain HTTP (no browser): the double-submit CSRF
// token of the pre-session forms, the session's token on signed-in forms, field errors as
// a 400 page, safe redirects after sign-in, and that the shared public pages never name
// who is signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

/** A citizen ID (GB 11643-1999) with a valid check character: region, birth date, sequence. */
export function citizenId(region, birth, seq) {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

function wrongCheck(id) {
  const last = id.at(-1);
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

/** A cookie jar of name → value from Set-Cookie headers. */
class Jar {
  constructor() { this.cookies = new Map(); }
  take(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

async function get(path, jar) {
  const res = await fetch(srv.url + path, { headers: jar ? { cookie: jar.header(), accept: 'text/html' } : { accept: 'text/html' }, redirect: 'manual' });
  jar?.take(res);
  return { res, text: await res.text() };
}

async function post(path, fields, jar, { contentType = 'application/x-www-form-urlencoded', raw } = {}) {
  const headers = { 'content-type': contentType, accept: 'text/html' };
  if (jar) headers.cookie = jar.header();
  const body = raw ?? new URLSearchParams(fields).toString();
  const res = await fetch(srv.url + path, { method: 'POST', headers, body, redirect: 'manual' });
  jar?.take(res);
  return { res, text: await res.text() };
}

function hiddenToken(html) {
  const m = html.match(/name="csrf_token" value="([^"]*)"/);
  assert.ok(m, 'the form carries a csrf_token');
  return m[1];
}

let seq = 100;
function person() {
  seq += 1;
  return { kind: 'person', name: '李四', id_number: citizenId('445102', '19880512', seq), mobile: '13912345678', password: 'a long enough passphrase', password_confirm: 'a long enough passphrase' };
}

async function register(jar, p) {
  const page = await get('/register', jar);
  const r = await post('/register', { ...p, csrf_token: hiddenToken(page.text) }, jar);
  assert.equal(r.res.status, 303, r.text.slice(0, 500));
  return r;
}

test('the registration form sets a SameSite=Strict double-submit cookie equal to its hidden field', async () => {
  const { res, text } = await get('/register');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const set = res.headers.getSetCookie().find((c) => c.startsWith('shenpi_csrf='));
  assert.ok(set, 'shenpi_csrf cookie set');
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  assert.equal(set.split(';')[0].split('=')[1], hiddenToken(text));
  assert.match(text, /公民身份号码/);
  const org = await get('/register?kind=organisation');
  for (const label of ['单位名称', '统一社会信用代码', '法定代表人', '经办人姓名', '经办人身份证号码']) assert.match(org.text, new RegExp(label));
});

test('a POSTed form without the CSRF token, or with the wrong one, gets a 403 page', async () => {
  const jar = new Jar();
  await get('/register', jar);
  const missing = await post('/register', person(), jar);
  assert.equal(missing.res.status, 403);
  assert.match(missing.res.headers.get('content-type'), /text\/html/);
  assert.match(missing.text, /安全令牌/);
  const wrong = await post('/login', { login: 'x', password: 'y', csrf_token: 'f'.repeat(64) }, jar);
  assert.equal(wrong.res.status, 403);
  const noCookie = await post('/login', { login: 'x', password: 'y', csrf_token: jar.cookies.get('shenpi_csrf') });
  assert.equal(noCookie.res.status, 403);
});

test('a bad citizen ID gives a 400 page with the message by the field, values kept but never the password', async () => {
  const jar = new Jar();
  const page = await get('/register', jar);
  const p = person();
  const r = await post('/register', { ...p, id_number: wrongCheck(p.id_number), csrf_token: hiddenToken(page.text) }, jar);
  assert.equal(r.res.status, 400);
  assert.match(r.text, /id="f-id_number-error"[^>]*>.*校验码错误/);
  assert.match(r.text, /aria-invalid="true"/);
  assert.match(r.text, new RegExp(`value="${wrongCheck(p.id_number)}"`));
  assert.match(r.text, /value="李四"/);
  assert.doesNotMatch(r.text, /a long enough passphrase/);
});

test('mismatched password confirmation is reported on the confirmation field', async () => {
  const jar = new Jar();
  const page = await get('/register', jar);
  const r = await post('/register', { ...person(), password_confirm: 'something else', csrf_token: hiddenToken(page.text) }, jar);
  assert.equal(r.res.status, 400);
  assert.match(r.text, /id="f-password_confirm-error"[^>]*>.*两次输入的密码不一致/);
});

test('registering signs in: /account shows the masked ID and mobile; public pages stay generic', async () => {
  const jar = new Jar();
  const p = person();
  const r = await register(jar, p);
  assert.equal(r.res.headers.get('location'), '/account?notice=registered');
  assert.ok(jar.cookies.get('shenpi_session'), 'signed in');
  const acct = await get('/account', jar);
  assert.equal(acct.res.status, 200);
  assert.equal(acct.res.headers.get('cache-control'), 'no-store');
  assert.match(acct.text, new RegExp(`${p.id_number.slice(0, 4)}\\*{10}${p.id_number.slice(14)}`));
  assert.doesNotMatch(acct.text, new RegExp(p.id_number));
  assert.match(acct.text, /139\*\*\*\*5678/);
  assert.match(acct.text, /当前/);
  assert.match(acct.text, /李四/);
  const home = await get('/', jar);
  assert.equal(home.res.status, 200);
  assert.doesNotMatch(home.text, /李四/);
  assert.match(home.text, /href="\/login"/);
  const conflict = await (async () => {
    const j2 = new Jar();
    const page = await get('/register', j2);
    return post('/register', { ...p, csrf_token: hiddenToken(page.text) }, j2);
  })();
  assert.equal(conflict.res.status, 409);
  assert.match(conflict.text, /id="f-id_number-error"/);
});

test('sign-out needs the session CSRF token in the form; then /account sends to the login page', async () => {
  const jar = new Jar();
  await register(jar, person());
  const acct = await get('/account', jar);
  const token = hiddenToken(acct.text);
  const bad = await post('/logout', { csrf_token: 'nope' }, jar);
  assert.equal(bad.res.status, 403);
  const noToken = await post('/logout', {}, jar);
  assert.equal(noToken.res.status, 403);
  const out = await post('/logout', { csrf_token: token }, jar);
  assert.equal(out.res.status, 303);
  assert.equal(out.res.headers.get('location'), '/');
  const again = await get('/account', jar);
  assert.equal(again.res.status, 303);
  assert.equal(again.res.headers.get('location'), '/login?next=%2Faccount');
  const getLogout = await get('/logout', jar);
  assert.equal(getLogout.res.status, 405);
});

test('sign-in redirects only to local paths; every failure reads the same', async () => {
  const p = person();
  await register(new Jar(), p);
  for (const [next, expected] of [['/search?q=1', '/search?q=1'], ['//evil.example/', '/account'], ['https://evil.example/', '/account'], ['/\\evil.example', '/account']]) {
    const jar = new Jar();
    const page = await get('/login', jar);
    const r = await post('/login', { login: p.id_number, password: p.password, next, csrf_token: hiddenToken(page.text) }, jar);
    assert.equal(r.res.status, 303, r.text.slice(0, 300));
    assert.equal(r.res.headers.get('location'), expected, `next=${next}`);
  }
  const jar = new Jar();
  const page = await get('/login', jar);
  const wrong = await post('/login', { login: p.id_number, password: 'wrong password!', csrf_token: hiddenToken(page.text) }, jar);
  assert.equal(wrong.res.status, 401);
  assert.match(wrong.text, /账号、密码或动态口令不正确/);
  const unknown = await post('/login', { login: '445102199001010000', password: 'whatever123', csrf_token: hiddenToken(page.text) }, jar);
  assert.equal(unknown.res.status, 401);
  assert.match(unknown.text, /账号、密码或动态口令不正确/);
});

test('a wrong current password is shown on its field; forms over 16 KiB are refused', async () => {
  const jar = new Jar();
  await register(jar, person());
  const token = hiddenToken((await get('/account', jar)).text);
  const r = await post('/account/password', { current_password: 'not it at all', password: 'brand new passphrase', password_confirm: 'brand new passphrase', csrf_token: token }, jar);
  assert.equal(r.res.status, 400);
  assert.match(r.text, /id="f-current_password-error"/);
  const big = await post('/account/password', null, jar, { raw: `csrf_token=${token}&x=${'a'.repeat(17 * 1024)}` });
  assert.equal(big.res.status, 413);
  const json = await post('/account/password', null, jar, { contentType: 'application/json', raw: JSON.stringify({ csrf_token: token }) });
  assert.equal(json.res.status, 403, 'a JSON body does not carry a form token');
});

test('too many failed sign-ins show 尝试次数过多 with the seconds to wait', async () => {
  const p = person();
  await register(new Jar(), p);
  const jar = new Jar();
  const token = hiddenToken((await get('/login', jar)).text);
  let last;
  for (let i = 0; i < 8; i += 1) {
    last = await post('/login', { login: p.id_number, password: `wrong ${i} password`, csrf_token: token }, jar);
    if (last.res.status === 429) break;
  }
  assert.equal(last.res.status, 429);
  assert.match(last.text, /尝试次数过多，请 \d+ 秒后再试/);
  assert.match(last.res.headers.get('retry-after'), /^\d+$/);
});
