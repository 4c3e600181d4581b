// Starts the real `shenpi` binary on a free port with a fresh data directory, for HTTP
// and browser tests. SHENPI_BIN points at the binary (ctest sets it).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.SHENPI_BIN || new URL('../../build/shenpi', import.meta.url).pathname;

/** Starts a server; resolves to {url, port, dataDir, proc, stop(signal), exited}.
 *  With `https`, the args must carry --tls-cert/--tls-key and url is https://. */
export async function startServer({ demo = true, db, args = [], env = {}, https = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'shenpi-test-'));
  const argv = ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--access-log', join(dataDir, 'access.log'), ...args];
  if (demo) argv.push('--demo');
  if (db) argv.push('--db', db);
  const proc = spawn(BIN, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60s: ${stderr}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on [^\s:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const url = `${https ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url, port, dataDir, proc, exited,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const r = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return r;
    },
  };
}

/** Sends raw bytes on a fresh connection; resolves to the raw response text. */
export function rawRequest(port, bytes, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(data); }, timeoutMs);
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('end', () => { clearTimeout(timer); resolve(data); });
    sock.on('error', (e) => { clearTimeout(timer); if (data) resolve(data); else reject(e); });
    sock.write(bytes);
  });
}

/** The text of a PDF, via pdftotext (poppler-utils). */
export function pdfText(buffer) {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: buffer }).toString('utf8');
}

/** Creates a fresh PostgreSQL database for a test from SHENPI_TEST_PG_URL; null when unset. */
export function freshPostgres() {
  const admin = process.env.SHENPI_TEST_PG_URL;
  if (!admin) return null;
  const name = `shenpi_http_${process.pid}_${Date.now()}`;
  execFileSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop() { execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]); },
  };
}
