// The same catalogue served from PostgreSQL: stateless app nodes on one database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshPostgres } from './server.mjs';

test('two app nodes on one PostgreSQL serve the same catalogue', async (t) => {
  const pg = freshPostgres();
  if (!pg) { t.skip('SHENPI_TEST_PG_URL not set'); return; }
  const a = await startServer({ db: pg.url });
  const b = await startServer({ db: pg.url, demo: false });
  try {
    const q = `/api/v1/items?q=${encodeURIComponent('食品')}`;
    const ra = await (await fetch(a.url + q)).json();
    const rb = await (await fetch(b.url + q)).json();
    assert.ok(ra.total >= 1);
    assert.deepEqual(ra, rb);
    const health = await (await fetch(`${b.url}/healthz`)).json();
    assert.equal(health.database, 'ok');
  } finally {
    await a.stop();
    await b.stop();
    pg.drop();
  }
});
