// Helpers of bench/submit and bench/approve: sign-in, valid form data for an item, TOTP for
// demo staff, and a load client (closed loop at full speed, or an open loop at a fixed
// rate that records each request's latency from the moment it was due).
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';

// Valid identifiers (check digits correct), as in tests/http.
export const CITIZEN_ID = '445102199003071230';
export const CREDIT_CODE = '91350100M000100Y43';

/** One JSON request; resolves to {status, headers, body (parsed JSON or null)}. */
export async function call(base, method, path, { body, cookie, csrf, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (cookie) h.cookie = cookie;
  if (csrf) h['x-csrf-token'] = csrf;
  const res = await fetch(base + path, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { raw: text }; }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Signs in; resolves to {cookie, csrf}. */
export async function signIn(base, login, password, totp) {
  const r = await call(base, 'POST', '/api/v1/session', { body: { login, password, totp } });
  if (r.status !== 200) throw new Error(`sign-in of ${login} failed: ${r.status} ${JSON.stringify(r.body)}`);
  const m = (r.headers.get('set-cookie') || '').match(/shenpi_session=([^;]*)/);
  if (!m) throw new Error('no session cookie');
  return { cookie: `shenpi_session=${m[1]}`, csrf: r.body.csrf_token };
}

/** Registers the demo applicant (a person) and signs in. */
export async function applicantSession(base) {
  const password = 'bench applicant passphrase';
  const reg = await call(base, 'POST', '/api/v1/accounts', {
    body: { kind: 'person', name: '压测申请人', id_number: CITIZEN_ID, mobile: '13812345678', password },
  });
  if (reg.status !== 201 && reg.status !== 409) {
    throw new Error(`registration failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  }
  return signIn(base, CITIZEN_ID, password);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from a base32 secret. */
export function totp(secretBase32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; ++i) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function dateIn(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10);
}

function visible(field, data) {
  if (!field.visible_if) return true;
  const [name, value] = field.visible_if.split('=');
  const v = data[name];
  return Array.isArray(v) ? v.includes(value) : v === value;
}

function valueFor(field) {
  const clip = (s) => (field.max_length ? s.slice(0, field.max_length) : s);
  switch (field.type) {
    case 'text': case 'textarea': return clip('潮州市压测数据');
    case 'number': return Math.max(field.min ?? 1, Math.min(field.max ?? 100, 100));
    case 'money': return (Math.max(field.min ?? 0, 1000)).toFixed(2);
    case 'date': return dateIn(30);
    case 'select': return field.options[0].value;
    case 'multi_select': return [field.options[0].value];
    case 'citizen_id': return CITIZEN_ID;
    case 'credit_code': return CREDIT_CODE;
    case 'phone': return '13812345678';
    case 'address': return '广东省潮州市湘桥区西马路100号';
    case 'table': {
      const row = {};
      for (const c of field.columns || []) if (c.required) row[c.name] = valueFor(c);
      return [row];
    }
    default: throw new Error(`field ${field.name}: type ${field.type} needs data (set DATA_JSON, or pick another ITEM)`);
  }
}

/** Valid data for every required, visible field of the item's form (no attachments). */
export function formData(form) {
  const data = {};
  for (const f of form.fields) {
    if (!f.required || !visible(f, data)) continue;
    if (f.type === 'attachment') {
      throw new Error(`field ${f.name} needs an upload, and an upload joins one case only: pick an ITEM without required attachments`);
    }
    if (f.pattern && f.type === 'text') throw new Error(`field ${f.name} has a pattern: set DATA_JSON`);
    data[f.name] = valueFor(f);
  }
  return data;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

/**
 * Runs requests against `url` for `seconds`. `next()` returns the next request
 * ({method, path, headers, body}), null when none is ready yet, or false when there will
 * be no more (the run ends early), and `done(req, status, body)`
 * hears each answer. rate > 0: an open loop at that many requests per second (at most
 * `connections` in flight; a request waiting for a connection counts its wait); rate 0: a
 * closed loop of `connections` clients. Resolves to {count, ok, errors, statuses, rps,
 * p50, p99, max} with latencies in milliseconds.
 */
export async function drive(url, { seconds, rate = 0, connections = 64, next, done = () => {} }) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const lat = [];
  const statuses = {};
  let count = 0, ok = 0, errors = 0, inFlight = 0;
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const send = (req, due) => new Promise((resolve) => {
    inFlight++;
    const r = http.request({
      host: u.hostname, port: u.port, method: req.method, path: req.path, agent,
      headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body || '') },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        inFlight--;
        const ms = performance.now() - due;
        count++;
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode >= 200 && res.statusCode < 300) { ok++; lat.push(ms); } else errors++;
        let body = null;
        try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* not JSON */ }
        done(req, res.statusCode, body);
        resolve();
      });
    });
    r.on('error', () => { inFlight--; count++; errors++; statuses.socket = (statuses.socket || 0) + 1; resolve(); });
    r.end(req.body || '');
  });

  if (rate > 0) {
    const interval = 1000 / rate;
    const pending = new Set();
    let due = started;
    while (due < endAt) {
      const now = performance.now();
      if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now)));
      const req = next();
      if (req === false) break;
      if (req) {
        const p = send(req, due);
        pending.add(p);
        p.then(() => pending.delete(p));
      } else {
        statuses.starved = (statuses.starved || 0) + 1;  // nothing ready: the slot is lost
      }
      due += interval;
    }
    await Promise.all(pending);
  } else {
    const lane = async () => {
      while (performance.now() < endAt) {
        const req = next();
        if (req === false) return;
        if (!req) { await new Promise((r) => setTimeout(r, 1)); continue; }
        await send(req, performance.now());
      }
    };
    await Promise.all(Array.from({ length: connections }, lane));
  }
  agent.destroy();
  const secs = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  return {
    count, ok, errors, statuses, seconds: secs, rps: ok / secs,
    p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), max: lat.length ? lat[lat.length - 1] : 0,
  };
}

/** A run-unique prefix for Idempotency-Keys. */
export function runId() {
  return randomBytes(6).toString('hex');
}
