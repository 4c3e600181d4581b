// Browser journeys of complaints and ratings in Debian's Chromium: an anonymous citizen
// complains (a field error first), keeps the number and tracking code, follows the
// complaint; the supervision bureau assigns and answers it; the citizen confirms. An
// applicant rates a delivered case 不满意 and the department's business lead records the
// callback. Every page is checked with axe-core and screenshotted into tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../http/server.mjs';
import {
  SCJGJ, FOOD_LICENCE, addStaff, registerPerson, signIn, api, actNow, uploadPdf, foodLicenceData, citizenId,
} from '../http/case_helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let srv;
let browser;
const s = {};
const axeFindings = [];
const overflowFindings = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  srv = await startServer();
  const staff = {
    supervisor: addStaff(srv, 'e2e_jc', '445100-JCJ', 'supervisor'),
    clerk: addStaff(srv, 'e2e_clerk', SCJGJ, 'clerk'),
    reviewerA: addStaff(srv, 'e2e_rev_a', SCJGJ, 'reviewer'),
    reviewerB: addStaff(srv, 'e2e_rev_b', SCJGJ, 'reviewer'),
    approver: addStaff(srv, 'e2e_appr', SCJGJ, 'approver'),
    lead: addStaff(srv, 'e2e_lead', SCJGJ, 'business_lead'),
  };
  for (const [k, v] of Object.entries(staff)) s[k] = await signIn(srv, v);
  s.applicant = await signIn(srv, await registerPerson(srv, citizenId('44510219900307', '123'), '陈小明'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** A browser context at `width`, signed in as `session` (null: anonymous). */
async function openPage(width, session = null) {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 812 : 900 }, bypassCSP: true, locale: 'zh-CN',
  });
  if (session) {
    const value = session.cookie.split('=')[1];
    await context.addCookies([{ name: 'shenpi_session', value, url: srv.url }]);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

async function checkPage(page, t, name, width) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(ARTIFACTS, `complaints-${name}-${width}.png`), fullPage: true });
  const where = `${name} (${new URL(page.url()).pathname}) at ${width}px`;
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((tags) => window.axe.run({ runOnly: tags }), AXE_TAGS);
  for (const v of result.violations) {
    const finding = { page: where, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) };
    axeFindings.push(finding);
    t.diagnostic(`axe ${v.impact} ${v.id} on ${where}: ${v.help} — ${finding.targets.slice(0, 5).join(', ')}`);
  }
  if (width <= 375) {
    const o = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (o.scrollWidth > o.innerWidth) overflowFindings.push({ page: where, ...o });
  }
}

async function click(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test('an anonymous complaint, handled by the bureau, confirmed with the tracking code (375px)', async (t) => {
  const width = 375;
  const citizen = await openPage(width);
  const bureau = await openPage(1280, s.supervisor);
  try {
    const { page } = citizen;
    await page.goto(`${srv.url}/complaints/new`);
    await checkPage(page, t, 'new', width);
    await page.check('#f-subject-department');
    await page.selectOption('#f-department', SCJGJ);
    await page.fill('#f-contact_name', '张三');
    await page.fill('#f-contact_phone', '13800138000');
    await click(page, 'main form button[type="submit"]');
    // The content was left empty: the error is shown next to the field, the rest kept.
    assert.match(await page.locator('#f-content-error').innerText(), /请填写投诉内容/);
    assert.equal(await page.inputValue('#f-contact_name'), '张三');
    await checkPage(page, t, 'new-error', width);
    await page.fill('#f-content', '窗口要求提供清单以外的材料，往返三次。');
    await click(page, 'main form button[type="submit"]');
    const number = (await page.locator('.complaint-number').innerText()).trim();
    const code = (await page.locator('.tracking-code').innerText()).trim();
    assert.match(number, /^TS\d{13}$/);
    assert.match(code, /^[A-Z2-9]{10}$/);
    await checkPage(page, t, 'filed', width);

    // The bureau assigns it to the supervisor and answers.
    const b = bureau.page;
    await b.goto(`${srv.url}/supervision/complaints`);
    await checkPage(b, t, 'bureau-list', 1280);
    await click(b, `a[href="/complaints/${number}"]`);
    await b.selectOption('#f-assignee_id', { label: '员工e2e_jc' });
    await click(b, 'form:has(input[value="assign"]) button[type="submit"]');
    assert.match(await b.locator('.notice').innerText(), /已分派/);
    await b.check('#f-outcome-partly_upheld');
    await b.fill('#f-findings', '调阅窗口录像，情况属实。');
    await b.fill('#f-answer', '已责令该局整改，并对窗口人员批评教育。');
    await click(b, 'form:has(input[value="answer"]) button[type="submit"]');
    assert.equal((await b.locator('.complaint-state').innerText()).trim(), '已答复');
    await checkPage(b, t, 'bureau-answered', 1280);

    // The citizen follows it with the number and code and confirms.
    await page.goto(`${srv.url}/complaints/track`);
    await page.fill('#f-number', number);
    await page.fill('#f-tracking_code', code);
    await click(page, 'main form button[type="submit"]');
    assert.equal((await page.locator('.complaint-outcome').innerText()).trim(), '部分属实');
    assert.match(await page.locator('.complaint-answer').innerText(), /已责令该局整改/);
    assert.equal(await page.locator('text=调查情况（内部）').count(), 0, 'the findings stay with the bureau');
    await checkPage(page, t, 'tracked', width);
    await click(page, 'button[value="confirm"]');
    assert.equal((await page.locator('.complaint-state').innerText()).trim(), '已办结');
  } finally {
    await citizen.context.close();
    await bureau.context.close();
  }
});

test('an applicant rates a delivered case 不满意; the business lead records the callback (1280px)', async (t) => {
  const width = 1280;
  const upload = await uploadPdf(srv, s.applicant);
  const filed = await api(srv, s.applicant, 'POST', '/api/v1/applications', {
    json: { item: FOOD_LICENCE, data: foodLicenceData(upload), submit: true },
  });
  const { number } = filed.body;
  await actNow(srv, s.clerk, number, 'accept');
  await actNow(srv, s.reviewerA, number, 'review_opinion', { opinion: '符合条件', agree: true });
  await actNow(srv, s.reviewerB, number, 'review_opinion', { opinion: '复核同意', agree: true });
  await actNow(srv, s.approver, number, 'approve');
  await actNow(srv, s.clerk, number, 'deliver');

  const applicant = await openPage(width, s.applicant);
  const lead = await openPage(width, s.lead);
  try {
    const { page } = applicant;
    await page.goto(`${srv.url}/my/cases/${number}/rating`);
    await checkPage(page, t, 'rate', width);
    await click(page, 'main form button[type="submit"]');
    assert.match(await page.locator('.error-summary').innerText(), /请选择评价等级/);
    await page.check('#f-level-dissatisfied');
    await page.fill('#f-comment', '排队时间太长');
    await click(page, 'main form button[type="submit"]');
    assert.equal((await page.locator('.rating-level').innerText()).trim(), '不满意');
    await checkPage(page, t, 'rated', width);

    const l = lead.page;
    await l.goto(`${srv.url}/work/follow-ups`);
    await checkPage(l, t, 'follow-ups', width);
    await click(l, `a:has-text("${number}")`);
    await click(l, 'form:has(input[value="callback"]) button[type="submit"]');
    assert.ok(await l.locator('#f-callback_note-error').isVisible(), 'the callback note is required');
    await l.fill('#f-callback_note', '已电话回访申请人，致歉并说明原因。');
    await l.fill('#f-outcome', '增设一个取号窗口。');
    await click(l, 'form:has(input[value="callback"]) button[type="submit"]');
    assert.equal((await l.locator('.follow-up-state').innerText()).trim(), '已整改');
    await checkPage(l, t, 'follow-up-closed', width);
  } finally {
    await applicant.context.close();
    await lead.context.close();
  }
});

test('no accessibility findings and no sideways scrolling', () => {
  assert.deepEqual(axeFindings, []);
  assert.deepEqual(overflowFindings, []);
});
