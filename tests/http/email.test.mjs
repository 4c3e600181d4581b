// Notifications over the real binary: an event written to the outbox (by the
// `shenpi outbox test-event` command, as a case transition will) becomes one inbox
// message and exactly one email on a local SMTP sink (aiosmtpd, Debian python3-aiosmtpd),
// with the subject in Chinese (RFC 2047) and a Message-ID carrying the event id; a
// restart of the server sends nothing twice and the inbox still shows the message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { BIN } from './server.mjs';

const ID = '445102199003071230';
const PASSWORD = 'a long enough passphrase';
const EMAIL = 'li.lei@example.com';

let work;     // temporary directory: data dir and maildir
let sink;     // the aiosmtpd process
let smtpPort;
let server;   // {url, proc, exited}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(check, ms, what) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startSink() {
  smtpPort = await freePort();
  const maildir = join(work, 'maildir');
  // Debian's launcher (/usr/bin/aiosmtpd) runs the system python3 that has the package,
  // whatever python3 comes first on PATH.
  const launcher = existsSync('/usr/bin/aiosmtpd') ? ['/usr/bin/aiosmtpd', []] : ['python3', ['-m', 'aiosmtpd']];
  sink = spawn(launcher[0], [...launcher[1], '-n', '-l', `127.0.0.1:${smtpPort}`,
    '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(() => new Promise((resolve) => {
    const c = net.connect(smtpPort, '127.0.0.1');
    c.on('connect', () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  }), 15000, 'the SMTP sink');
}

// The messages the sink received, as raw text.
function mails() {
  const dirs = ['new', 'cur'].map((d) => join(work, 'maildir', d)).filter(existsSync);
  return dirs.flatMap((d) => readdirSync(d).map((f) => readFileSync(join(d, f), 'latin1')));
}

async function startServer() {
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', join(work, 'data'),
    '--access-log', 'off', '--smtp-url', `smtp://127.0.0.1:${smtpPort}`,
    '--smtp-from', 'noreply@sp.example.gov.cn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return { url: `http://127.0.0.1:${port}`, proc, exited, stderr: () => stderr };
}

async function stopServer() {
  if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGTERM');
  await server.exited;
}

async function call(method, path, { json, form, cookie, csrf, html } = {}) {
  const headers = {};
  let body;
  if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (html) headers.accept = 'text/html';
  const res = await fetch(server.url + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed = null;
  if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
  return { res, text, body: parsed };
}

// Decodes an RFC 2047 header value made of =?UTF-8?B?…?= words.
function decodeHeader(value) {
  return value.replace(/\r?\n[ \t]/g, '').replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi,
    (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

function header(mail, name) {
  const head = mail.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = head.match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'));
  return m ? m[1].trim() : null;
}

let accountId;
let cookie;
let csrf;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'shenpi-email-'));
  await startSink();
  server = await startServer();
  const reg = await call('POST', '/api/v1/accounts', {
    json: { kind: 'person', name: '李雷', id_number: ID, mobile: '13812345678', password: PASSWORD },
  });
  assert.equal(reg.res.status, 201, reg.text);
  accountId = reg.body.id;
  const login = await call('POST', '/api/v1/session', { json: { login: ID, password: PASSWORD } });
  assert.equal(login.res.status, 200, login.text);
  cookie = login.res.headers.get('set-cookie').match(/shenpi_session=[^;]*/)[0];
  csrf = login.body.csrf_token;
});

after(async () => {
  if (server) await stopServer();
  if (sink) { sink.kill('SIGTERM'); await new Promise((r) => sink.on('exit', r)); }
  rmSync(work, { recursive: true, force: true });
});

test('the settings page saves an email address and switches email on', async () => {
  const page = await call('GET', '/account/notifications', { cookie, html: true });
  assert.equal(page.res.status, 200);
  assert.equal(page.res.headers.get('cache-control'), 'no-store');
  assert.match(page.text, /<h1>通知设置<\/h1>/);

  const bad = await call('POST', '/account/notifications', { cookie, html: true, form: { csrf_token: csrf, email: 'not an address', email_enabled: '1' } });
  assert.equal(bad.res.status, 400);
  assert.match(bad.text, /id="f-email-error"[^>]*>.*请填写正确的电子邮箱地址/);

  const noCsrf = await call('POST', '/account/notifications', { cookie, html: true, form: { email: EMAIL, email_enabled: '1' } });
  assert.equal(noCsrf.res.status, 403);

  const saved = await call('POST', '/account/notifications', { cookie, html: true, form: { csrf_token: csrf, email: ` ${EMAIL.toUpperCase()} `, email_enabled: '1' } });
  assert.equal(saved.res.status, 303, saved.text);
  const again = await call('GET', '/account/notifications', { cookie, html: true });
  assert.match(again.text, new RegExp(`value="${EMAIL}"`));
  assert.match(again.text, /name="email_enabled" value="1" checked/);
});

test('one event gives one inbox message and exactly one email, also after a restart', async () => {
  const eventId = execFileSync(BIN, ['outbox', 'test-event', '--data', join(work, 'data'),
    '--account', accountId, '--topic', 'case.accepted', '--case-number', '445100-20240501-0001',
    '--item-name', '食品经营许可']).toString().trim();
  assert.match(eventId, /^[0-9a-f]{32}$/);

  const [mail] = await waitFor(() => { const m = mails(); return m.length ? m : null; }, 20000, 'the email');
  const subject = decodeHeader(header(mail, 'Subject'));
  assert.equal(subject, '已受理：食品经营许可（办件编号 445100-20240501-0001）');
  assert.match(header(mail, 'To'), new RegExp(EMAIL));
  assert.match(header(mail, 'Message-ID'), new RegExp(`^<${eventId}\\.\\d+@sp\\.example\\.gov\\.cn>$`));
  assert.match(header(mail, 'Content-Type'), /text\/plain; charset=UTF-8/i);
  const bodyText = Buffer.from(mail.split(/\r?\n\r?\n/).slice(1).join('\n').replace(/\s+/g, ''), 'base64').toString('utf8');
  assert.match(bodyText, /您申请的“食品经营许可”（办件编号：445100-20240501-0001）已受理/);
  assert.doesNotMatch(bodyText, /445102199003071230|13812345678/);

  const inbox = await call('GET', '/api/v1/inbox', { cookie });
  assert.equal(inbox.res.status, 200, inbox.text);
  assert.equal(inbox.body.unread, 1);
  assert.equal(inbox.body.messages.length, 1);
  assert.equal(inbox.body.messages[0].subject, subject);
  assert.equal(inbox.body.messages[0].event_id, eventId);
  assert.equal(inbox.body.messages[0].read, false);

  // A restart: the sent mark survives, nothing goes out again, the inbox is unchanged.
  await stopServer();
  server = await startServer();
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(mails().length, 1, 'exactly one email');
  const page = await call('GET', '/inbox', { cookie, html: true });
  assert.equal(page.res.status, 200);
  assert.match(page.text, /<h1>站内消息<\/h1>/);
  assert.ok(page.text.includes(subject), 'the subject is listed');
  assert.match(page.text, /未读/);

  const id = inbox.body.messages[0].id;
  const read = await call('POST', `/inbox/${id}/read`, { cookie, html: true, form: { csrf_token: csrf } });
  assert.equal(read.res.status, 303);
  const after = await call('GET', '/api/v1/inbox', { cookie });
  assert.equal(after.body.unread, 0);
  assert.equal(after.body.messages[0].read, true);
});

test('the inbox and the feed need the right caller', async () => {
  assert.equal((await call('GET', '/api/v1/inbox')).res.status, 401);
  const page = await call('GET', '/inbox', { html: true });
  assert.equal(page.res.status, 303);
  assert.match(page.res.headers.get('location'), /^\/login\?next=%2Finbox/);
  // An applicant may not read the event feed (audit_read: security officers, the centre).
  const feed = await call('GET', '/api/v1/events?after=0', { cookie });
  assert.equal(feed.res.status, 403, feed.text);
  assert.equal(feed.body.error.code, 'permission_denied');
  // Nobody marks another's message read.
  const other = await call('POST', '/api/v1/inbox/999999/read', { cookie, csrf });
  assert.equal(other.res.status, 404);
});
