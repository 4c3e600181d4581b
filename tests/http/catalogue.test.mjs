// The public catalogue over HTTP, against the real binary with the demo data on SQLite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pdfText } from './server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const getJson = async (path, init) => {
  const res = await fetch(srv.url + path, init);
  return { res, body: await res.json() };
};

async function codeOf(name) {
  const { body } = await getJson(`/api/v1/items?q=${encodeURIComponent(name)}`);
  const hit = body.items.find((i) => i.name === name);
  assert.ok(hit, `item ${name} is in the catalogue`);
  return hit.code;
}

test('health check reports the database', async () => {
  const { res, body } = await getJson('/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(body, { status: 'ok', database: 'ok' });
});

test('departments include every body, city-wide ones too', async () => {
  const { res, body } = await getJson('/api/v1/departments');
  assert.equal(res.status, 200);
  const names = body.departments.map((d) => d.name);
  for (const d of body.departments) {
    assert.equal(typeof d.code, 'string');
    assert.equal(typeof d.name, 'string');
    assert.equal(typeof d.region, 'string');
  }
  for (const want of ['行政服务中心', '监察局', '信息管理办公室', '市场监督管理局', '自然资源局']) {
    assert.ok(names.some((n) => n.includes(want)), `${want} listed`);
  }
  const regions = new Set(body.departments.map((d) => d.region));
  for (const r of ['445100', '445102', '445103', '445122']) assert.ok(regions.has(r), `region ${r} has departments`);
  assert.ok(body.departments.filter((d) => d.kind === 'approval').length >= 8);
});

test('a two-character Chinese query finds food items', async () => {
  const { res, body } = await getJson(`/api/v1/items?q=${encodeURIComponent('食品')}`);
  assert.equal(res.status, 200);
  assert.ok(body.total >= 1);
  assert.equal(body.page, 1);
  assert.ok(body.items.some((i) => i.name === '食品经营许可'));
  for (const i of body.items) {
    assert.ok(i.department.code && i.department.name, 'department is {code,name}');
  }
});

test('search by item code and by a longer phrase', async () => {
  const code = await codeOf('公共场所卫生许可');
  const { body } = await getJson(`/api/v1/items?q=${encodeURIComponent(code)}`);
  assert.equal(body.items[0].code, code);
  const long = await getJson(`/api/v1/items?q=${encodeURIComponent('建设工程规划许可')}`);
  assert.ok(long.body.items.some((i) => i.name.includes('建设工程规划许可')));
});

test('filters by department and audience, and pages', async () => {
  const all = (await getJson('/api/v1/items?page_size=100')).body;
  assert.ok(all.total >= 15, 'at least 15 published items');
  const dept = all.items[0].department.code;
  const byDept = (await getJson(`/api/v1/items?dept=${encodeURIComponent(dept)}&page_size=100`)).body;
  assert.ok(byDept.items.length >= 1 && byDept.items.every((i) => i.department.code === dept));
  const page2 = (await getJson('/api/v1/items?page=2&page_size=5')).body;
  assert.equal(page2.page, 2);
  assert.equal(page2.items.length, 5);
  assert.notEqual(page2.items[0].code, all.items[0].code);
  const persons = (await getJson('/api/v1/items?audience=person&page_size=100')).body;
  assert.ok(persons.items.every((i) => i.audience === 'person' || i.audience === 'both'));
});

test('bad parameters get 400 naming the parameter', async () => {
  for (const [query, field] of [['page=x', 'page'], ['page=0', 'page'], ['audience=alien', 'audience'],
    ['page_size=1000', 'page_size'], ['dept=NO-SUCH-DEPT', 'dept'], [`q=${'食'.repeat(101)}`, 'q']]) {
    const { res, body } = await getJson(`/api/v1/items?${encodeURI(query)}`);
    assert.equal(res.status, 400, query);
    assert.equal(body.error.field, field, query);
    assert.ok(body.error.code && body.error.message, 'error object has code and message');
  }
});

test('the full guide carries every element', async () => {
  const code = await codeOf('食品经营许可');
  const { res, body } = await getJson(`/api/v1/items/${encodeURIComponent(code)}`);
  assert.equal(res.status, 200);
  assert.equal(body.code, code);
  assert.equal(body.name, '食品经营许可');
  assert.equal(body.type, 'licence');
  assert.ok(body.department.code && body.department.name.includes('市场监督管理局'));
  assert.match(body.legal_basis, /食品安全法/);
  assert.ok(body.conditions.length > 0);
  assert.ok(body.materials.length > 0);
  for (const m of body.materials) {
    assert.equal(typeof m.required, 'boolean');
    assert.ok(['original', 'copy', 'original_and_copy', 'electronic'].includes(m.form));
  }
  assert.ok(body.procedure.length > 0);
  assert.ok(body.promised_limit_days <= body.legal_limit_days);
  for (const k of ['fees_text', 'result_name', 'consult_phone', 'complaint_phone', 'place', 'hours']) {
    assert.ok(body[k], `${k} present`);
  }
  assert.equal(typeof body.visits, 'number');
  assert.ok(body.online_level);
  assert.ok(body.form.fields.length > 0);
  assert.ok(body.bundles.length >= 1, 'belongs to the restaurant bundle');
});

test('an unknown item is 404 with the error object', async () => {
  const { res, body } = await getJson('/api/v1/items/NO-SUCH-ITEM');
  assert.equal(res.status, 404);
  assert.equal(body.error.code, 'item_not_found');
  assert.ok(body.error.message);
});

test('the blank form is an A4 PDF with the item name, code and field labels', async () => {
  const code = await codeOf('食品经营许可');
  const guide = (await getJson(`/api/v1/items/${encodeURIComponent(code)}`)).body;
  const res = await fetch(`${srv.url}/api/v1/items/${encodeURIComponent(code)}/form.pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /attachment/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(buf).replace(/\s+/g, '');
  assert.ok(text.includes('食品经营许可'));
  assert.ok(text.includes(code));
  for (const f of guide.form.fields.slice(0, 5)) assert.ok(text.includes(f.label.replace(/\s+/g, '')), f.label);
  // Cached per version: the second download is byte-identical.
  const again = Buffer.from(await (await fetch(`${srv.url}/api/v1/items/${encodeURIComponent(code)}/form.pdf`)).arrayBuffer());
  assert.ok(buf.equals(again));
});

test('material templates download', async () => {
  const items = (await getJson('/api/v1/items?page_size=100')).body.items;
  let found = false;
  for (const i of items) {
    const g = (await getJson(`/api/v1/items/${encodeURIComponent(i.code)}`)).body;
    const m = g.materials.find((x) => x.template_url);
    if (!m) continue;
    const res = await fetch(srv.url + m.template_url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition'), /filename\*=UTF-8''/);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.ok(buf.length > 100);
    found = true;
    break;
  }
  assert.ok(found, 'some material has a template');
  const missing = await fetch(`${srv.url}/api/v1/items/${encodeURIComponent(items[0].code)}/materials/999/template`);
  assert.equal(missing.status, 404);
});

test('the guide page, department page and home page render in Chinese', async () => {
  const code = await codeOf('食品经营许可');
  const res = await fetch(`${srv.url}/items/${encodeURIComponent(code)}`, { headers: { Accept: 'text/html' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  const html = await res.text();
  assert.match(html, /lang="zh-CN"/);
  for (const s of ['食品经营许可', '设定依据', '受理条件', '申请材料', '办理流程', '法定', '承诺', '收费', '办理结果']) {
    assert.ok(html.includes(s), s);
  }
  const home = await fetch(`${srv.url}/`);
  assert.equal(home.status, 200);
  assert.ok((await home.text()).includes('并联审批'));
  const notFound = await fetch(`${srv.url}/items/NO-SUCH-ITEM`, { headers: { Accept: 'text/html' } });
  assert.equal(notFound.status, 404);
  assert.match(await notFound.text(), /未找到|不存在/);
});

test('public pages carry a strong ETag, answer 304 and gzip', async () => {
  const code = await codeOf('食品经营许可');
  const url = `${srv.url}/items/${encodeURIComponent(code)}`;
  const first = await fetch(url);
  const etag = first.headers.get('etag');
  assert.ok(etag && !etag.startsWith('W/'), 'strong etag');
  const second = await fetch(url, { headers: { 'If-None-Match': etag } });
  assert.equal(second.status, 304);
  const gz = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.ok((await gz.text()).includes('食品经营许可'), 'fetch decodes gzip');
});

test('OpenAPI document is served', async () => {
  const { res, body } = await getJson('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.match(body.openapi, /^3\./);
  for (const p of ['/api/v1/departments', '/api/v1/items', '/api/v1/items/{code}', '/api/v1/items/{code}/form.pdf']) {
    assert.ok(body.paths[p], p);
  }
});

test('metrics count requests by route and status', async () => {
  await fetch(`${srv.url}/api/v1/departments`);
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(text, /shenpi_http_requests_total\{route="\/api\/v1\/departments",status="200"\} \d+/);
  assert.match(text, /shenpi_http_request_duration_seconds_bucket\{route="\/api\/v1\/departments",le="\+Inf"\}/);
  assert.match(text, /shenpi_db_pool_connections \d+/);
  // The page caches of the SQLite connections hold pages once the catalogue has been read.
  const cache = Number(text.match(/^shenpi_db_cache_bytes (\S+)$/m)[1]);
  assert.ok(cache > 0, `shenpi_db_cache_bytes ${cache}`);
  // The WAL's length and its restarts, for whoever watches for starved checkpoints.
  assert.match(text, /^shenpi_db_wal_frames \d+$/m);
  assert.match(text, /^shenpi_db_wal_restarts \d+$/m);
});
