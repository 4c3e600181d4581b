// Browser journey of one application, in Debian's Chromium: an applicant finds 食品经营许可,
// applies online with an attachment and sees the case; a clerk of 潮州市市场监督管理局
// signs in with a TOTP code and accepts it from the work queue; two reviewers give their
// opinions; the approver grants it; the applicant sees 准予 and downloads the decision
// PDF. Every page is checked with axe-core at 375 px and 1280 px (and for sideways
// scrolling at 375 px) and screenshotted into tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../http/server.mjs';
import {
  SCJGJ, FOOD_LICENCE, addStaff, registerPerson, citizenId, creditCode, totp, tinyPdf,
} from '../http/case_helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const WIDTHS = [375, 1280];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let server;
let browser;
const staff = {};
let applicant;
const axeFindings = [];
const overflowFindings = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  staff.clerk = addStaff(server, 'e2e_clerk', SCJGJ, 'clerk');
  staff.reviewerA = addStaff(server, 'e2e_review_a', SCJGJ, 'reviewer');
  staff.reviewerB = addStaff(server, 'e2e_review_b', SCJGJ, 'reviewer');
  staff.approver = addStaff(server, 'e2e_approver', SCJGJ, 'approver');
  applicant = await registerPerson(server, citizenId('44510219910214', '258'), '吴晓燕');
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

async function openPage() {
  const context = await browser.newContext({
    viewport: { width: WIDTHS[0], height: 812 }, bypassCSP: true, locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

/** At each width: screenshot, axe, and at 375 px the no-sideways-scroll check. */
async function checkPage(page, t, name) {
  await page.waitForLoadState('load');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
    await page.screenshot({ path: join(ARTIFACTS, `cases-${name}-${width}.png`), fullPage: true });
    const where = `${name} (${new URL(page.url()).pathname}) at ${width}px`;
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate((tags) => window.axe.run({ runOnly: tags }), AXE_TAGS);
    for (const v of result.violations) {
      const finding = { page: where, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) };
      axeFindings.push(finding);
      t.diagnostic(`axe ${v.impact} ${v.id} on ${where}: ${v.help} — ${finding.targets.slice(0, 5).join(', ')}`);
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
  await page.setViewportSize({ width: WIDTHS[0], height: 812 });
}

async function click(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Signs in on the login page (staff with a TOTP code) and lands on `next`. */
async function signIn(page, { login, username, password, secret }, next) {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#f-login', login || username);
  await page.fill('#f-password', password);
  if (secret) await page.fill('#f-totp', totp(secret));
  await click(page, 'main form.account-form button[type="submit"]');
  assert.equal(new URL(page.url()).pathname, next);
}

/** A staff member opens the case from their queue and posts the form of `formId`. */
async function staffStep(t, who, number, name, act) {
  const { context, page } = await openPage();
  try {
    await signIn(page, who, '/work');
    const row = page.locator('table.case-table tbody tr', { hasText: number });
    assert.equal(await row.count(), 1, `${who.username} sees the case in the queue`);
    await checkPage(page, t, `${name}-queue`);
    await click(page, `a[href="/work/cases/${number}"]`);
    await checkPage(page, t, `${name}-case`);
    await act(page);
    assert.equal(new URL(page.url()).pathname, `/work/cases/${number}`);
    assert.equal(await page.locator('[role="status"]').count(), 1, 'the page confirms the action');
    await checkPage(page, t, `${name}-done`);
  } finally {
    await context.close();
  }
}

test('apply online with an attachment; accept, review twice, approve; the applicant downloads the decision', async (t) => {
  const me = await openPage();
  const { page } = me;
  let number;
  try {
    // The applicant finds the guide and applies online.
    await signIn(page, applicant, '/account');
    await page.goto(`${server.url}/items/${FOOD_LICENCE}`);
    await click(page, `a[href="/apply/${FOOD_LICENCE}"]`);
    assert.equal(new URL(page.url()).pathname, `/apply/${FOOD_LICENCE}`);
    await checkPage(page, t, 'apply');

    await page.fill('#f-applicant_name', '潮州市湘桥区吴记粿条店');
    await page.fill('#f-credit_code', creditCode('92445100MA4W0005'));
    await page.fill('#f-legal_rep', '吴晓燕');
    await page.fill('#f-legal_rep_id', applicant.login);
    await page.fill('#f-contact_phone', '13800138002');
    await page.fill('#f-premises', '潮州市湘桥区太平路18号');
    await page.selectOption('#f-business_kind', 'catering');
    await page.check('input[name="business_items"][value="hot_food"]');
    await page.fill('#f-area', '45');
    await page.selectOption('#f-online_sales', 'no');
    await page.fill('input[name="staff[0][name]"]', '吴晓燕');
    await page.fill('input[name="staff[0][id_no]"]', applicant.login);
    await page.fill('input[name="staff[0][post]"]', '厨师');
    await page.fill('input[name="staff[0][health_cert_no]"]', 'JK2026123');
    await page.fill('input[name="staff[0][health_cert_until]"]', '2027-12-31');
    await page.setInputFiles('#f-layout_plan', { name: '经营场所平面布局图.pdf', mimeType: 'application/pdf', buffer: tinyPdf('e2e layout') });
    await click(page, 'button[name="action"][value="submit"]');
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/my\/cases\/\d+$/, await page.textContent('main'));
    number = url.pathname.split('/').pop();
    const main = await page.textContent('main');
    assert.match(main, /申请已提交/);
    assert.match(main, /受理时限/);
    assert.match(main, /(绿灯|黄灯|红灯)/);
    assert.match(main, /申请材料接收凭证/);
    assert.match(main, /经营场所平面布局图/);
    await checkPage(page, t, 'applicant-submitted');
    await page.goto(`${server.url}/my/cases`);
    assert.equal(await page.locator(`a[href="/my/cases/${number}"]`).count(), 1);
    await checkPage(page, t, 'my-cases');

    // The clerk claims and accepts it.
    await staffStep(t, staff.clerk, number, 'clerk', async (p) => {
      await click(p, 'form:has(input[name="action"][value="claim"]) button[type="submit"]');
      await click(p, 'form:has(input[name="action"][value="accept"]) button[type="submit"]');
      assert.match(await p.textContent('[role="status"]'), /已受理/);
    });
    // Two reviewers (law Art. 34), then the approver.
    for (const [who, name, text] of [[staff.reviewerA, 'review', '材料齐全，符合法定条件'], [staff.reviewerB, 'recheck', '复核同意']]) {
      await staffStep(t, who, number, name, async (p) => {
        await p.fill('form:has(input[name="action"][value="review_opinion"]) textarea[name="opinion"]', text);
        await p.check('form:has(input[name="action"][value="review_opinion"]) input[name="agree"][value="true"]');
        await click(p, 'form:has(input[name="action"][value="review_opinion"]) button[type="submit"]');
      });
    }
    await staffStep(t, staff.approver, number, 'approver', async (p) => {
      const opinions = await p.textContent('main');
      assert.match(opinions, /材料齐全，符合法定条件/);
      assert.match(opinions, /复核同意/);
      await click(p, 'form:has(input[name="action"][value="approve"]) button[type="submit"]');
      assert.match(await p.textContent('[role="status"]'), /准予/);
    });

    // The applicant sees the decision and downloads it.
    await page.goto(`${server.url}/my/cases/${number}`);
    const after = await page.textContent('main');
    assert.match(after, /准予许可/);
    assert.match(after, /审批负责人/);
    const link = page.locator('a', { hasText: '准予行政许可决定书' });
    assert.equal(await link.count(), 1);
    await checkPage(page, t, 'applicant-approved');
    const pdf = await page.request.get(server.url + await link.getAttribute('href'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  } finally {
    await me.context.close();
  }
});

test('no page has accessibility findings or scrolls sideways at 375 px', () => {
  assert.deepEqual(axeFindings, []);
  assert.deepEqual(overflowFindings, []);
});
