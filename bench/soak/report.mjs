// The report of a soak run (run.sh calls it; it can be rerun on a kept output directory):
//
//   node report.mjs OUT_DIR
//
// Reads OUT_DIR/result.json (written by soak.mjs), writes OUT_DIR/soak.svg (p99 latency and
// the server's RSS over time, two panels, plain SVG written here) and OUT_DIR/summary.txt,
// and prints the summary. Exit status 1 when any request failed, 0 otherwise.
import { readFileSync, writeFileSync } from 'node:fs';

const outDir = process.argv[2];
const r = JSON.parse(readFileSync(`${outDir}/result.json`, 'utf8'));
const rows = r.windows;
const median = (a) => {
  const s = a.filter((v) => v !== null && v !== undefined).sort((x, y) => x - y);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 0;
};
const mean = (a) => {
  const s = a.filter((v) => v !== null && v !== undefined);
  return s.length ? s.reduce((n, v) => n + v, 0) / s.length : 0;
};

// ---- summary --------------------------------------------------------------------------------

// First and last minute (or the first and last third of a run shorter than three minutes),
// leaving out the last window when it is only the drain after the run.
const full = rows.filter((w) => w.seconds >= r.sample_seconds * 0.9);
const span = Math.max(1, Math.min(Math.round(60 / r.sample_seconds), Math.floor(full.length / 3)));
const first = full.slice(0, span);
const last = full.slice(-span);
const p99First = median(first.map((w) => w.p99));
const p99Last = median(last.map((w) => w.p99));
const rssFirst = mean(first.map((w) => w.rss_mb));
const rssLast = mean(last.map((w) => w.rss_mb));
// Least-squares slope of RSS over the whole run, in MB per minute.
const pts = full.filter((w) => w.rss_mb !== null).map((w) => [w.t / 60, w.rss_mb]);
const slope = slopeOf(pts);
// The same for RSS less SQLite's page caches (bounded by their sizes; see soak.mjs).
const lessPts = full.filter((w) => w.rss_less_cache_mb != null).map((w) => [w.t / 60, w.rss_less_cache_mb]);
const lessFirst = mean(first.filter((w) => w.rss_less_cache_mb != null).map((w) => w.rss_less_cache_mb));
const lessLast = mean(last.filter((w) => w.rss_less_cache_mb != null).map((w) => w.rss_less_cache_mb));
function slopeOf(points) {
  if (points.length < 2) return 0;
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  const sxx = points.reduce((n, [x]) => n + (x - mx) ** 2, 0);
  return sxx > 0 ? points.reduce((n, [x, y]) => n + (x - mx) * (y - my), 0) / sxx : 0;
}
const lessSlope = slopeOf(lessPts);
const all = rows.reduce((n, w) => n + w.requests, 0);
const errors = r.totals.errors + r.totals.probe_errors;
const seconds = rows.reduce((n, w) => n + w.seconds, 0);
const pct = (a, b) => (b > 0 ? `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%` : 'n/a');
const lines = [
  `mixed load (${process.env.MIX || '80,12,8'} % public views, applications, staff actions) on ${r.url}`,
  `maximum (closed loop, ${r.probe.connections} clients, ${r.probe.seconds} s): ${r.probe.rps} req/s, ` +
    `p50 ${r.probe.p50} ms, p99 ${r.probe.p99} ms`,
  `soak: open loop at ${r.share == null ? "a fixed rate" : `${r.share}%`} = ${r.rate} req/s for ${r.duration} s: ${all} responses ` +
    `(${(all / seconds).toFixed(1)}/s), ${r.totals.submitted} applications, ${r.totals.approved} approved`,
  errors === 0 ? 'errors: none (every response was the expected status)'
    : `! errors: ${errors} (soak ${r.totals.errors}, maximum run ${r.totals.probe_errors}); first: ${JSON.stringify(r.first_errors.slice(0, 3))}`,
  `p99 per window: first ${span * r.sample_seconds} s median ${p99First.toFixed(2)} ms, last ` +
    `${span * r.sample_seconds} s median ${p99Last.toFixed(2)} ms (${pct(p99Last, p99First)}); ` +
    `worst window ${Math.max(...full.map((w) => w.p99)).toFixed(2)} ms`,
  `RSS: first ${span * r.sample_seconds} s mean ${rssFirst.toFixed(1)} MB, last ${span * r.sample_seconds} s mean ` +
    `${rssLast.toFixed(1)} MB (${pct(rssLast, rssFirst)}); trend ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/min`,
];
if (lessPts.length > 1) {
  lines.push(`RSS less SQLite's page caches: first ${lessFirst.toFixed(1)} MB, last ${lessLast.toFixed(1)} MB ` +
    `(${pct(lessLast, lessFirst)}); trend ${lessSlope >= 0 ? '+' : ''}${lessSlope.toFixed(2)} MB/min`);
}
const loads = rows.map((w) => w.load1).filter((v) => typeof v === 'number');
if (loads.length) {
  lines.push(`machine load average (1 min) during the soak: mean ${mean(loads).toFixed(1)}, ` +
    `max ${Math.max(...loads).toFixed(1)} (on ${r.cpus ?? '?'} CPUs)`);
}
writeFileSync(`${outDir}/summary.txt`, lines.join('\n') + '\n');
console.log(lines.join('\n'));

// ---- chart ----------------------------------------------------------------------------------

const W = 900, H = 260, L = 70, R = 20, T = 34, B = 40;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const tMax = Math.max(r.duration, ...rows.map((w) => w.t));
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}
function panel(y0, title, unit, values, colour) {
  const vs = values.filter((v) => v !== null);
  const top = niceMax(Math.max(...vs, 0) * 1.1);
  const bottom = 0;  // from zero, so that a growth is seen at its true size
  const x = (t) => L + ((W - L - R) * t) / tMax;
  const y = (v) => y0 + T + (H - T - B) * (1 - (v - bottom) / (top - bottom));
  const out = [`<text x="${L}" y="${y0 + 20}" class="title">${esc(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = bottom + ((top - bottom) * i) / 4;
    out.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`,
      `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" class="axis" text-anchor="end">${+v.toFixed(2)}</text>`);
  }
  const step = tMax > 300 ? 60 : tMax > 60 ? 30 : 10;
  for (let t = 0; t <= tMax; t += step) {
    out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y0 + H - B}" y2="${y0 + H - B + 4}" class="tick"/>`,
      `<text x="${x(t).toFixed(1)}" y="${y0 + H - B + 16}" class="axis" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${W - R}" y="${y0 + H - 6}" class="axis" text-anchor="end">seconds into the soak</text>`,
    `<text x="14" y="${y0 + (H + T - B) / 2}" class="axis" transform="rotate(-90 14 ${y0 + (H + T - B) / 2})" text-anchor="middle">${esc(unit)}</text>`,
    `<line x1="${L}" x2="${L}" y1="${y0 + T}" y2="${y0 + H - B}" class="tick"/>`,
    `<line x1="${L}" x2="${W - R}" y1="${y0 + H - B}" y2="${y0 + H - B}" class="tick"/>`);
  const pts = rows.map((w, i) => [w.t, values[i]]).filter(([, v]) => v !== null);
  out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
  for (const [t, v] of pts) out.push(`<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}"/>`);
  // Windows with errors are marked on the time axis.
  rows.forEach((w) => {
    if (w.errors > 0) out.push(`<text x="${x(w.t).toFixed(1)}" y="${y0 + H - B - 4}" class="err" text-anchor="middle">✕${w.errors}</text>`);
  });
  return out.join('\n');
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 40}" viewBox="0 0 ${W} ${2 * H + 40}" role="img">
<title>Shenpi soak: p99 latency and RSS every ${r.sample_seconds} s at ${r.rate} req/s</title>
<style>
 text { font-family: sans-serif; fill: #222; }
 .title { font-size: 15px; font-weight: bold; }
 .axis { font-size: 11px; fill: #555; }
 .err { font-size: 11px; fill: #b00; }
 .grid { stroke: #ddd; stroke-width: 1; }
 .tick { stroke: #888; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${panel(0, `p99 latency per ${r.sample_seconds} s window (from when each request was due), ${r.rate} req/s open loop`, 'ms', rows.map((w) => w.p99), '#1f5fa8')}
${panel(H, 'server RSS (VmRSS)', 'MB', rows.map((w) => w.rss_mb), '#b8541a')}
<text x="${L}" y="${2 * H + 28}" class="axis">${esc(lines[3])}</text>
</svg>
`;
writeFileSync(`${outDir}/soak.svg`, svg);
process.exit(errors > 0 ? 1 : 0);
