// The staff identity pages in Debian's Chromium at 375 px and 1280 px: a centre admin's
// staff list, the creation form and the one-time TOTP enrolment page, the training
// register, the audit search with a verification result, and the training gate of an
// untrained member. Every page is checked with axe-core (and, at 375 px, for sideways
// scrolling outside table boxes) and screenshotted into tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, BIN } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const WIDTHS = [375, 1280];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let server;
let browser;
const cookies = {};
const findings = [];

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function staffSession(username, dept, roles, trained) {
  const password = `${username} passphrase long`;
  const args = ['staff', 'add', '--username', username, '--name', `员工${username}`, '--dept', dept];
  for (const r of roles) args.push('--role', r);
  const out = execFileSync(BIN, [...args, '--password-stdin', '--data', server.dataDir], { input: `${password}\n` }).toString();
  const secret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  if (trained) {
    execFileSync(BIN, ['staff', 'train', '--username', username, '--course', '上岗培训', '--valid-until', '2099-12-31',
      '--data', server.dataDir]);
  }
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: username, password, totp: totp(secret) }),
  });
  assert.equal(res.status, 200);
  return res.headers.get('set-cookie').match(/shenpi_session=([^;]*)/)[1];
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  cookies.centre = await staffSession('centre1', '445100-XZFWZX', ['centre_admin'], true);
  cookies.tech = await staffSession('tech1', '445100-XXB', ['tech_admin'], true);
  cookies.newbie = await staffSession('newbie1', '445100-SCJGJ', ['clerk'], false);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openAs(who, width) {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 812 : 900 }, bypassCSP: true, locale: 'zh-CN',
  });
  await context.addCookies([{ name: 'shenpi_session', value: cookies[who], url: server.url }]);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

async function check(page, t, name, width) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(ARTIFACTS, `staff-${name}-${width}.png`), fullPage: true });
  const where = `${name} at ${width}px`;
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((tags) => window.axe.run({ runOnly: tags }), AXE_TAGS);
  for (const v of result.violations) {
    findings.push({ page: where, id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) });
    t.diagnostic(`axe ${v.impact} ${v.id} on ${where}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  }
  if (width <= 375) {
    const o = await page.evaluate(() => {
      const vw = window.innerWidth;
      const culprits = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.table-scroll')) continue;
        const r = el.getBoundingClientRect();
        if (r.right > vw + 0.5 && r.width > 0) culprits.push(`${el.tagName.toLowerCase()}.${String(el.className)}`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, culprits: culprits.slice(0, 8) };
    });
    if (o.scrollWidth > o.innerWidth) {
      findings.push({ page: where, overflow: o });
      t.diagnostic(`overflow on ${where}: ${JSON.stringify(o)}`);
    }
  }
}

for (const width of WIDTHS) {
  test(`staff pages pass axe at ${width}px`, async (t) => {
    const admin = await openAs('centre', width);
    await admin.page.goto(`${server.url}/admin/staff`);
    await check(admin.page, t, 'admin-staff', width);
    await admin.page.fill('#staff-username', `made${width}`);
    await admin.page.fill('#staff-name', '新同事');
    await admin.page.selectOption('#staff-department', '445100-SCJGJ');
    await admin.page.check('#role-clerk');
    await Promise.all([admin.page.waitForNavigation(), admin.page.click('main form[action="/admin/staff"] button[type="submit"]')]);
    assert.match(await admin.page.textContent('h1'), /已创建工作人员账号/);
    assert.equal(await admin.page.locator('.qr-code svg').count(), 1);
    await check(admin.page, t, 'admin-staff-created', width);

    await admin.page.goto(`${server.url}/admin/staff`);
    await admin.page.fill('#staff-username', '9bad');
    await Promise.all([admin.page.waitForNavigation(), admin.page.click('main form[action="/admin/staff"] button[type="submit"]')]);
    await check(admin.page, t, 'admin-staff-error', width);

    await admin.page.goto(`${server.url}/admin/audit`);
    await Promise.all([admin.page.waitForNavigation(), admin.page.click('form[action="/admin/audit/verify"] button')]);
    assert.match(await admin.page.textContent('main'), /校验通过/);
    await check(admin.page, t, 'admin-audit-verify', width);
    await admin.page.goto(`${server.url}/admin/audit?action=session.login`);
    await check(admin.page, t, 'admin-audit', width);
    await admin.context.close();

    const tech = await openAs('tech', width);
    await tech.page.goto(`${server.url}/admin/training`);
    await check(tech.page, t, 'admin-training', width);
    await tech.context.close();

    const newbie = await openAs('newbie', width);
    await newbie.page.goto(`${server.url}/admin/audit`);
    assert.equal(new URL(newbie.page.url()).pathname, '/training');
    assert.match(await newbie.page.textContent('main'), /未完成培训考核，暂不能办理业务/);
    await check(newbie.page, t, 'training-gate', width);
    await newbie.context.close();
  });
}

test('no accessibility findings and no sideways scrolling', () => {
  assert.deepEqual(findings, []);
});
