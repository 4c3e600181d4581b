// HTTPS and staff sign-in by client certificate (Art. 21 "身份认证(CA)"). The test makes
// its own CA, a server certificate for 127.0.0.1 and client certificates with openssl:
// one from the trusted CA, and one with the same subject from a CA the server does not
// trust, which must get nowhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, BIN } from './server.mjs';

const SUBJECT = 'CN=Li Lei,OU=Licensing,O=Chaozhou Market';  // RFC 2253: last RDN first
const SUBJ_ARG = '/O=Chaozhou Market/OU=Licensing/CN=Li Lei';
const PASSWORD = 'certificate holder passphrase';

let dir;
let srv;
let pki;
let secret;

function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// A self-signed CA named `name` (P-256 keys: quick to make).
function makeCa(name) {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/O=Shenpi Test/CN=${name}`);
}

// A certificate `name` signed by `ca`, with the extensions in `ext` (openssl config lines).
function issue(ca, name, subj, ext) {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
}

const read = (name) => readFileSync(join(dir, name));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shenpi-pki-'));
  makeCa('ca');
  makeCa('foreign-ca');
  issue('ca', 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('ca', 'client', SUBJ_ARG, 'extendedKeyUsage=clientAuth\n');
  issue('foreign-ca', 'impostor', SUBJ_ARG, 'extendedKeyUsage=clientAuth\n');
  pki = {
    ca: read('ca.crt'),
    client: { cert: read('client.crt'), key: read('client.key') },
    impostor: { cert: read('impostor.crt'), key: read('impostor.key') },
  };
  srv = await startServer({
    https: true,
    args: ['--tls-cert', join(dir, 'server.crt'), '--tls-key', join(dir, 'server.key'),
      '--client-ca', join(dir, 'ca.crt')],
  });
  const out = execFileSync(BIN, ['staff', 'add', '--username', 'lilei', '--name', '李雷', '--dept', '445100-SCJGJ',
    '--role', 'clerk', '--cert-subject', SUBJECT, '--password-stdin', '--data', srv.dataDir],
  { input: `${PASSWORD}\n` }).toString();
  const m = out.trim().match(/^totp-secret: ([A-Z2-7]+)$/);
  assert.ok(m, out);
  secret = m[1];
});

after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One HTTPS request trusting only the test CA; `identity` is {cert, key} or undefined.
function request(method, path, { body, identity } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(`${srv.url}${path}`, {
      method,
      ca: pki.ca,
      rejectUnauthorized: true,
      agent: false,  // a fresh connection each time: the certificate is per connection
      ...(identity ?? {}),
      headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {},
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('pages are served over HTTPS', async () => {
  assert.match(srv.url, /^https:/);
  const home = await request('GET', '/');
  assert.equal(home.status, 200);
  assert.match(home.headers['content-type'], /text\/html/);
});

test('the certificate with a TOTP code signs the staff member in with a Secure cookie', async () => {
  const code = totp();
  const res = await request('POST', '/api/v1/session/certificate', { body: { totp: code }, identity: pki.client });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.account.username, 'lilei');
  assert.equal(res.json.account.kind, 'staff');
  const cookie = [res.headers['set-cookie']].flat().find((c) => c.startsWith('shenpi_session='));
  assert.ok(cookie, 'session cookie set');
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /HttpOnly/);

  // The cookie works on a later request, and the same code is not accepted twice.
  const who = await new Promise((resolve, reject) => {
    https.get(`${srv.url}/api/v1/session`, { ca: pki.ca, agent: false, headers: { Cookie: cookie.split(';')[0] } }, (r) => {
      let t = '';
      r.on('data', (c) => { t += c; });
      r.on('end', () => resolve({ status: r.statusCode, json: JSON.parse(t) }));
    }).on('error', reject);
  });
  assert.equal(who.status, 200);
  assert.equal(who.json.account.username, 'lilei');
  const replay = await request('POST', '/api/v1/session/certificate', { body: { totp: code }, identity: pki.client });
  assert.equal(replay.status, 401);
});

test('the certificate with the password signs in; a wrong password does not', async () => {
  const ok = await request('POST', '/api/v1/session/certificate', { body: { password: PASSWORD }, identity: pki.client });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.account.username, 'lilei');
  const wrong = await request('POST', '/api/v1/session/certificate', { body: { password: 'not the passphrase' }, identity: pki.client });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, 'login_failed');
});

test('without a client certificate the certificate login is refused', async () => {
  const res = await request('POST', '/api/v1/session/certificate', { body: { password: PASSWORD } });
  assert.equal(res.status, 401);
  assert.equal(res.json.error.code, 'login_failed');
  assert.equal(res.headers['set-cookie'], undefined);
});

test('a certificate with the same subject from another CA is refused', async () => {
  const res = await request('POST', '/api/v1/session/certificate', { body: { password: PASSWORD }, identity: pki.impostor });
  assert.equal(res.status, 401);
  assert.equal(res.json.error.code, 'login_failed');
  assert.equal(res.headers['set-cookie'], undefined);
});
