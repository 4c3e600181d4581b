// The HTTP side of bench/submit (run.sh drives it):
//
//   node client.mjs setup URL ITEM OUT_DIR
//       registers and signs in the bench applicant, builds valid form data for ITEM
//       (or takes $DATA_JSON), checks that one submission is accepted (201), and writes
//       OUT_DIR/body.json (the request body) and OUT_DIR/session.env (COOKIE=…, CSRF=…).
//   node client.mjs load URL SECONDS RATE CONNECTIONS BODY_FILE
//       submits for SECONDS, each request with its own Idempotency-Key: RATE 0 = closed
//       loop of CONNECTIONS clients, else an open loop at RATE/s. COOKIE and CSRF come from
//       the environment. Prints one JSON line of results (see lib.mjs drive()).
import { readFileSync, writeFileSync } from 'node:fs';
import { applicantSession, call, drive, formData, runId } from './lib.mjs';

const [cmd, url, ...rest] = process.argv.slice(2);

if (cmd === 'setup') {
  const [item, outDir] = rest;
  const session = await applicantSession(url);
  const got = await call(url, 'GET', `/api/v1/items/${encodeURIComponent(item)}`);
  if (got.status !== 200) throw new Error(`item ${item}: ${got.status} ${JSON.stringify(got.body)}`);
  if (!got.body.form) throw new Error(`item ${item} has no form (GET /api/v1/items/{code} lacks "form")`);
  const data = process.env.DATA_JSON ? JSON.parse(process.env.DATA_JSON) : formData(got.body.form);
  const body = { item, data, submit: true };
  const first = await call(url, 'POST', '/api/v1/applications', {
    body, cookie: session.cookie, csrf: session.csrf, headers: { 'idempotency-key': `setup-${runId()}` },
  });
  if (first.status !== 201) {
    throw new Error(`a trial submission was refused: ${first.status} ${JSON.stringify(first.body)}`);
  }
  writeFileSync(`${outDir}/body.json`, JSON.stringify(body));
  writeFileSync(`${outDir}/session.env`, `COOKIE='${session.cookie}'\nCSRF='${session.csrf}'\n`);
  console.log(`item ${item} (${got.body.name}), trial case ${first.body.number} ${first.body.state}`);
} else if (cmd === 'load') {
  const [seconds, rate, connections, bodyFile] = rest;
  const body = readFileSync(bodyFile, 'utf8');
  const headers = {
    'content-type': 'application/json', cookie: process.env.COOKIE, 'x-csrf-token': process.env.CSRF,
  };
  const run = runId();
  let n = 0;
  const result = await drive(url, {
    seconds: Number(seconds), rate: Number(rate), connections: Number(connections),
    next: () => ({
      method: 'POST', path: '/api/v1/applications',
      headers: { ...headers, 'idempotency-key': `${run}-${++n}` }, body,
    }),
  });
  console.log(JSON.stringify(result));
} else {
  console.error('usage: node client.mjs setup URL ITEM OUT_DIR | load URL SECONDS RATE CONNECTIONS BODY_FILE');
  process.exit(2);
}
