// Browser journeys through the identity pages, in Debian's Chromium at 375 px and 1280 px:
// register a natural person (a bad ID first), see 我的账户 with the masked ID, sign out
// and in, end a session from a second browser, change the password; register an
// organisation without JavaScript; a staff member signs in with a TOTP code and sees the
// training gate. Every page is checked with axe-core and screenshotted into
// tests/e2e/artifacts/.
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
const STAFF_PASSWORD = 'staff member passphrase';

let server;
let browser;
let staffSecret;
const axeFindings = [];
const overflowFindings = [];

/** A citizen ID with a valid GB 11643-1999 check character. */
function citizenId(region, birth, seq) {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits). */
function totp(secret, unixSeconds = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  // The CLI works on the same SQLite file as the running server.
  const out = execFileSync(BIN, ['staff', 'add', '--username', 'wangwu', '--name', '王五', '--dept', '445100-SCJGJ',
    '--role', 'clerk', '--role', 'reviewer', '--password-stdin', '--data', server.dataDir],
  { input: `${STAFF_PASSWORD}\n` }).toString();
  staffSecret = out.match(/^totp-secret: ([A-Z2-7]+)$/m)[1];
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  const r = await server?.stop();
  if (r && r.code !== 0 && r.signal === null) console.error(`server exited ${r.code}: ${server.stderr()}`);
});

async function openPage(width, { javaScript = true } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 812 : 900 },
    javaScriptEnabled: javaScript,
    bypassCSP: true, // axe is injected as an inline script
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

/** Screenshot, axe (with JavaScript) and, at 375 px, the no-sideways-scroll check. */
async function checkPage(page, t, { name, width, journey, javaScript = true }) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(ARTIFACTS, `identity-${journey}-${name}-${width}.png`), fullPage: true });
  const where = `${name} (${new URL(page.url()).pathname}) at ${width}px`;
  if (javaScript) {
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate((tags) => window.axe.run({ runOnly: tags }), AXE_TAGS);
    for (const v of result.violations) {
      const finding = { page: where, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) };
      axeFindings.push(finding);
      t.diagnostic(`axe ${v.impact} ${v.id} on ${where}: ${v.help} — ${finding.targets.slice(0, 5).join(', ')}`);
    }
  }
  if (width <= 375) {
    const o = await page.evaluate(() => {
      const vw = window.innerWidth;
      const culprits = [];
      for (const el of document.body.querySelectorAll('*')) {
        const pos = getComputedStyle(el).position;
        if (el.closest('.table-scroll') && pos !== 'absolute' && pos !== 'fixed') continue;
        const r = el.getBoundingClientRect();
        if (r.right > vw + 0.5 && r.width > 0) culprits.push(`${el.tagName.toLowerCase()}.${String(el.className)}`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, culprits: culprits.slice(0, 8) };
    });
    if (o.scrollWidth > o.innerWidth) overflowFindings.push({ page: where, ...o });
  }
}

async function submit(page, selector = 'main form.account-form button[type="submit"]') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

for (const [i, width] of WIDTHS.entries()) {
  test(`a person registers, signs out and in, ends another session and changes the password (${width}px)`, async (t) => {
    const journey = 'person';
    const id = citizenId('445102', '19900307', 200 + i);
    const badId = id.slice(0, 17) + (id.at(-1) === '0' ? '1' : '0');
    const { context, page } = await openPage(width);
    try {
      await page.goto(`${server.url}/register`);
      await checkPage(page, t, { name: 'register', width, journey });
      assert.equal(await page.getByRole('link', { name: '登录' }).first().isVisible(), true);
      await page.fill('#f-name', '陈小明');
      await page.fill('#f-id_number', badId);
      await page.fill('#f-mobile', '13800138000');
      await page.fill('#f-password', 'my first passphrase');
      await page.fill('#f-password_confirm', 'my first passphrase');
      await submit(page);
      assert.match(await page.textContent('#f-id_number-error'), /校验码错误/);
      assert.equal(await page.getAttribute('#f-id_number', 'aria-invalid'), 'true');
      assert.equal(await page.inputValue('#f-id_number'), badId, 'the value typed is kept');
      assert.equal(await page.inputValue('#f-password'), '', 'the password is never echoed');
      await checkPage(page, t, { name: 'register-error', width, journey });

      await page.fill('#f-id_number', id);
      await page.fill('#f-password', 'my first passphrase');
      await page.fill('#f-password_confirm', 'my first passphrase');
      await submit(page);
      assert.equal(new URL(page.url()).pathname, '/account');
      const masked = `${id.slice(0, 4)}**********${id.slice(14)}`;
      assert.match(await page.textContent('main'), new RegExp(masked.replace(/\*/g, '\\*')));
      assert.match(await page.textContent('main'), /138\*\*\*\*8000/);
      assert.match(await page.textContent('header'), /陈小明/);
      await checkPage(page, t, { name: 'account', width, journey });

      // Sign out from the header, then sign in again.
      await Promise.all([page.waitForNavigation(), page.click('header button:has-text("退出")')]);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.doesNotMatch(await page.textContent('header'), /陈小明/);
      await page.goto(`${server.url}/login`);
      await checkPage(page, t, { name: 'login', width, journey });
      await page.fill('#f-login', id);
      await page.fill('#f-password', 'my first passphrase');
      await submit(page);
      assert.equal(new URL(page.url()).pathname, '/account');

      // A second browser signs in; the first ends that session.
      const second = await openPage(width);
      try {
        await second.page.goto(`${server.url}/login?next=/account`);
        await second.page.fill('#f-login', id);
        await second.page.fill('#f-password', 'my first passphrase');
        await submit(second.page);
        assert.equal(new URL(second.page.url()).pathname, '/account');

        await page.reload();
        const rows = page.locator('table.sessions tbody tr');
        assert.equal(await rows.count(), 2);
        assert.equal(await page.locator('table.sessions tbody tr.current-session').count(), 1);
        await checkPage(page, t, { name: 'account-sessions', width, journey });
        await Promise.all([page.waitForNavigation(),
          page.locator('table.sessions tbody tr:not(.current-session) button').click()]);
        assert.match(await page.textContent('[role="status"]'), /已结束该会话/);
        assert.equal(await page.locator('table.sessions tbody tr').count(), 1);

        await second.page.goto(`${server.url}/account`);
        assert.equal(new URL(second.page.url()).pathname, '/login', 'the ended session is signed out');
      } finally {
        await second.context.close();
      }

      // Change the password; the new one signs in.
      await page.fill('#f-current_password', 'my first passphrase');
      await page.fill('#f-password', 'my second passphrase');
      await page.fill('#f-password_confirm', 'my second passphrase');
      await submit(page);
      assert.match(await page.textContent('[role="status"]'), /密码已修改/);
      await Promise.all([page.waitForNavigation(), page.click('header button:has-text("退出")')]);
      await page.goto(`${server.url}/login`);
      await page.fill('#f-login', id);
      await page.fill('#f-password', 'my first passphrase');
      await submit(page);
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.match(await page.textContent('[role="alert"]'), /账号、密码或动态口令不正确/);
      await checkPage(page, t, { name: 'login-error', width, journey });
      await page.fill('#f-password', 'my second passphrase');
      await submit(page);
      assert.equal(new URL(page.url()).pathname, '/account');
    } finally {
      await context.close();
    }
  });
}

test('an organisation registers without JavaScript (375px) and the form passes axe at both widths', async (t) => {
  for (const width of WIDTHS) {
    const { context, page } = await openPage(width);
    await page.goto(`${server.url}/register`);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("法人或其他组织")')]);
    await checkPage(page, t, { name: 'register-org', width, journey: 'org' });
    await context.close();
  }
  const { context, page } = await openPage(375, { javaScript: false });
  try {
    await page.goto(`${server.url}/register?kind=organisation`);
    await page.fill('#f-name', '潮州市示范科技有限公司');
    await page.fill('#f-credit_code', '91350100M000100Y43');
    await page.fill('#f-representative', '林大伟');
    await page.fill('#f-agent_name', '黄晓红');
    await page.fill('#f-agent_id_number', citizenId('445122', '20000229', 2));
    await page.fill('#f-mobile', '13712345678');
    await page.fill('#f-password', 'organisation passphrase');
    await page.fill('#f-password_confirm', 'organisation passphrase');
    await submit(page);
    assert.equal(new URL(page.url()).pathname, '/account');
    const main = await page.textContent('main');
    assert.match(main, /9135\*{10}0Y43/);
    assert.match(main, /法人或其他组织/);
    await checkPage(page, t, { name: 'account-org', width: 375, journey: 'org', javaScript: false });
  } finally {
    await context.close();
  }
});

test('a staff member signs in with password and TOTP and sees the training gate, then the training', async (t) => {
  for (const width of WIDTHS) {
    const { context, page } = await openPage(width);
    try {
      await page.goto(`${server.url}/login`);
      await page.fill('#f-login', 'wangwu');
      await page.fill('#f-password', STAFF_PASSWORD);
      if (width === WIDTHS[0]) {
        // Without the code the sign-in fails with the one message.
        await submit(page);
        assert.match(await page.textContent('[role="alert"]'), /账号、密码或动态口令不正确/);
        await page.fill('#f-password', STAFF_PASSWORD);
      }
      // A code is single-use: the second sign-in waits for the next step.
      if (width !== WIDTHS[0]) {
        const left = 30 - (Math.floor(Date.now() / 1000) % 30);
        await new Promise((r) => setTimeout(r, (left + 1) * 1000));
      }
      await page.fill('#f-totp', totp(staffSecret));
      await submit(page);
      assert.equal(new URL(page.url()).pathname, '/account');
      const main = await page.textContent('main');
      if (width === WIDTHS[0]) {
        assert.match(main, /未完成培训/);
        assert.match(main, /根据《办法》第二十条，培训考核合格后方能上岗/);
        assert.match(main, /窗口受理/);
        assert.match(main, /潮州市市场监督管理局|445100-SCJGJ/);
        assert.equal(await page.locator('table.sessions').count(), 0, 'untrained staff cannot manage sessions');
        await checkPage(page, t, { name: 'account-untrained', width, journey: 'staff' });
        execFileSync(BIN, ['staff', 'train', '--username', 'wangwu', '--course', '上岗培训', '--valid-until', '2099-12-31',
          '--data', server.dataDir]);
      } else {
        assert.match(main, /有效期至 2099-12-31/);
        assert.equal(await page.locator('table.sessions').count(), 1);
        await checkPage(page, t, { name: 'account-trained', width, journey: 'staff' });
      }
    } finally {
      await context.close();
    }
  }
});

test('no page has accessibility findings or scrolls sideways at 375 px', () => {
  assert.deepEqual(axeFindings, []);
  assert.deepEqual(overflowFindings, []);
});
