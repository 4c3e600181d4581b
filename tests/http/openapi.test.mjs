// The OpenAPI document is checked against the real responses: every documented JSON
// route is called and its body validated against the documented schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server.mjs';

let srv;
let doc;
before(async () => {
  srv = await startServer();
  doc = await (await fetch(`${srv.url}/api/v1/openapi.json`)).json();
});
after(async () => { await srv.stop(); });

// A validator for the subset of JSON Schema the document uses: $ref, type, required,
// properties, items, enum. Returns a list of "path: problem" strings.
function validate(schema, value, path = '$') {
  if (schema.$ref) return validate(resolve(schema.$ref), value, path);
  if (value === null && schema.nullable) return [];
  const errors = [];
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type) {
    const ok = type === 'integer' ? Number.isInteger(value) : type === 'number' ? typeof value === 'number' : actual === type;
    if (!ok) return [`${path}: expected ${type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (type === 'object' || schema.properties) {
    for (const r of schema.required || []) if (!(r in value)) errors.push(`${path}: missing ${r}`);
    for (const [k, s] of Object.entries(schema.properties || {})) {
      if (k in value) errors.push(...validate(s, value[k], `${path}.${k}`));
    }
  }
  if (type === 'array' && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, `${path}[${i}]`)));
  return errors;
}
function resolve(ref) {
  return ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], doc);
}

async function sampleCode() {
  const items = (await (await fetch(`${srv.url}/api/v1/items?q=${encodeURIComponent('食品经营')}`)).json()).items;
  return items[0].code;
}

test('every documented JSON GET route answers as documented', async () => {
  const code = await sampleCode();
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    const op = ops.get;
    if (!op) continue;
    if (op.security?.length) continue;  // needs a session: checked in the tests of its area
    const ok = op.responses['200'];
    const json = ok?.content?.['application/json'];
    if (!json) continue;
    // Required query parameters and other path parameters take their documented example.
    let url = path.startsWith('/api/v1/items/')
      ? path.replace('{code}', encodeURIComponent(code)).replace('{index}', '0')
      : path;
    const query = [];
    for (const prm of op.parameters || []) {
      const ex = prm.example ?? prm.schema?.example;
      if (prm.in === 'path' && ex !== undefined) url = url.replace(`{${prm.name}}`, encodeURIComponent(ex));
      if (prm.in === 'query' && prm.required && ex !== undefined) query.push(`${prm.name}=${encodeURIComponent(ex)}`);
    }
    if (/\{/.test(url)) continue;  // a path parameter without an example: checked in its area's tests
    if (query.length) url += `?${query.join('&')}`;
    const res = await fetch(srv.url + url);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type'), /application\/json/, url);
    const errors = validate(json.schema, await res.json());
    assert.deepEqual(errors, [], `${url} matches its schema`);
    checked++;
  }
  assert.ok(checked >= 6, `checked ${checked} routes`);
});

test('documented error responses match the error schema', async () => {
  const cases = [['/api/v1/items/NO-SUCH', 404], ['/api/v1/items?page=zero', 400]];
  for (const [url, status] of cases) {
    const res = await fetch(srv.url + url);
    assert.equal(res.status, status);
    assert.deepEqual(validate({ $ref: '#/components/schemas/Error' }, await res.json()), [], url);
  }
});

test('binary routes answer with their documented content type', async () => {
  const code = await sampleCode();
  const res = await fetch(`${srv.url}/api/v1/items/${encodeURIComponent(code)}/form.pdf`);
  assert.equal(res.headers.get('content-type'), Object.keys(doc.paths['/api/v1/items/{code}/form.pdf'].get.responses['200'].content)[0]);
});

test('every registered API route is documented', () => {
  // The route table as `shenpi routes` prints it (the same table `serve` builds).
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-routes-'));
  try {
    const out = execFileSync(process.env.SHENPI_BIN, ['routes', '--data', dir], { encoding: 'utf8' });
    const missing = [];
    for (const line of out.trim().split('\n')) {
      const [method, pattern] = line.split(' ');
      if (!pattern.startsWith('/api/v1/')) continue;
      if (!doc.paths[pattern]?.[method.toLowerCase()]) missing.push(`${method} ${pattern}`);
    }
    assert.deepEqual(missing, [], 'every /api/v1 route is in the OpenAPI document');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
