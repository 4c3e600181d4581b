// Browser journeys through the public service catalogue, in Debian's Chromium, at phone
// (375 px) and desktop (1280 px) width: search and read a guide, download the application
// form, browse by department and bundle, print, and the same without JavaScript. Every page
// visited is checked with axe-core and screenshotted into tests/e2e/artifacts/.
//
// One server and one browser serve the whole file; each journey gets a fresh context
// (fresh profile, cookies and cache), so journeys do not depend on one another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, pdfText } from '../http/server.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const WIDTHS = [375, 1280];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// The guide sections a citizen needs before applying (办事指南 elements).
const GUIDE_SECTIONS = ['设定依据', '受理条件', '申请材料', '办理流程', '法定时限', '承诺时限', '收费标准', '办理结果', '咨询电话'];

let server;
let browser;
let downloadDir;
const itemCodes = {};  // item name -> code, looked up through the public API
// Every axe finding, for the final assertion: {page, width, id, impact, help, targets}.
const axeFindings = [];
// Pages at 375 px whose document is wider than the viewport: {page, width, scrollWidth, culprits}.
const overflowFindings = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  downloadDir = mkdtempSync(join(tmpdir(), 'shenpi-e2e-dl-'));
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  for (const name of ['食品经营许可', '户外广告设施设置审批']) {
    const res = await fetch(`${server.url}/api/v1/items?q=${encodeURIComponent(name)}`);
    assert.equal(res.status, 200, `GET /api/v1/items?q=${name}`);
    const body = await res.json();
    const item = body.items.find((i) => i.name === name);
    assert.ok(item, `the demo catalogue has ${name}: ${JSON.stringify(body).slice(0, 300)}`);
    itemCodes[name] = item.code;
  }
});

after(async () => {
  await browser?.close();
  const r = await server?.stop();
  if (downloadDir) rmSync(downloadDir, { recursive: true, force: true });
  if (r && r.code !== 0 && r.signal === null) console.error(`server exited ${r.code}: ${server.stderr()}`);
});

/** A fresh context and page at the given width. */
async function openPage(width, { javaScript = true } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 812 : 900 },
    javaScriptEnabled: javaScript,
    acceptDownloads: true,
    // axe is injected as an inline script; the site's CSP (default-src 'self') would block it.
    bypassCSP: true,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page };
}

/**
 * The checks made on every page a journey reaches: screenshot, axe (when JavaScript is on),
 * and at phone width the horizontal-scroll check. `name` labels the page in findings and
 * file names; `noScroll` makes horizontal scrolling at 375 px a failure of the journey.
 */
async function checkPage(page, t, { name, width, journey, javaScript = true, noScroll = false }) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(ARTIFACTS, `${journey}-${name}-${width}.png`), fullPage: true });
  const where = `${name} (${new URL(page.url()).pathname}${new URL(page.url()).search}) at ${width}px`;

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
        // Content inside a container built to scroll sideways (the materials table) is fine,
        // unless it is positioned out of it (an absolute box whose containing block is outside
        // the scroller is not clipped by it and widens the document).
        const pos = getComputedStyle(el).position;
        if (el.closest('.table-scroll') && pos !== 'absolute' && pos !== 'fixed') continue;
        const r = el.getBoundingClientRect();
        if (r.right > vw + 0.5 && r.width > 0) {
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, culprits: culprits.slice(0, 8) };
    });
    if (o.scrollWidth > o.innerWidth) {
      overflowFindings.push({ page: where, ...o });
      t.diagnostic(`horizontal scroll on ${where}: scrollWidth ${o.scrollWidth} > ${o.innerWidth}; ${o.culprits.join(', ')}`);
      if (noScroll) {
        assert.fail(`${where} scrolls sideways: scrollWidth ${o.scrollWidth} > innerWidth ${o.innerWidth}; widest: ${o.culprits.join(', ')}`);
      }
    }
  }
}

/** The text of the page's h1. */
async function heading(page) {
  return (await page.locator('h1').first().innerText()).trim();
}

/** Asserts each guide section label is visible on the page (as a heading or a field name). */
async function assertGuideSections(page, where) {
  const main = page.locator('main');
  for (const label of GUIDE_SECTIONS) {
    const el = main.getByText(label, { exact: true }).first();
    assert.ok(await el.isVisible(), `${where}: the guide shows ${label}`);
  }
}

/** Submits a search from the page's search box by pressing Enter (no JavaScript needed). */
async function searchFor(page, query) {
  const box = page.getByLabel('搜索事项');
  await box.fill(query);
  await Promise.all([page.waitForURL(/\/search\?/), box.press('Enter')]);
}

for (const width of WIDTHS) {
  test(`a citizen searches for 食品, reads the guide and downloads the form (${width}px)`, async (t) => {
    const journey = 'search';
    const { context, page } = await openPage(width);
    try {
      await page.goto(server.url + '/');
      assert.match(await page.title(), /.+/, 'the home page has a title');
      await checkPage(page, t, { name: 'home', width, journey, noScroll: true });

      await searchFor(page, '食品');
      assert.equal(new URL(page.url()).searchParams.get('q'), '食品');
      const result = page.getByRole('link', { name: '食品经营许可', exact: true });
      assert.ok(await result.isVisible(), 'the results list 食品经营许可');
      await checkPage(page, t, { name: 'search', width, journey, noScroll: true });

      await Promise.all([page.waitForURL(/\/items\//), result.click()]);
      const code = itemCodes['食品经营许可'];
      assert.equal(new URL(page.url()).pathname, `/items/${code}`);
      assert.equal(await heading(page), '食品经营许可');
      assert.ok(await page.locator('main').getByText(code).first().isVisible(), 'the guide shows the item code');
      await assertGuideSections(page, 'guide');
      await checkPage(page, t, { name: 'guide', width, journey, noScroll: true });

      const formLink = page.getByRole('link', { name: '下载申请表' });
      assert.equal(await formLink.getAttribute('href'), `/api/v1/items/${code}/form.pdf`);
      const [download] = await Promise.all([page.waitForEvent('download'), formLink.click()]);
      assert.equal(await download.failure(), null, 'the download completes');
      assert.match(download.suggestedFilename(), /\.pdf$/i, 'the form is saved as a .pdf file');
      const saved = join(downloadDir, `form-${width}.pdf`);
      await download.saveAs(saved);
      const bytes = readFileSync(saved);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the download is a PDF');
      const text = pdfText(bytes).replace(/\s+/g, '');
      assert.ok(text.includes('食品经营许可'), `the form names the item: ${text.slice(0, 200)}`);
      assert.ok(text.includes(code), `the form carries the item code ${code}: ${text.slice(0, 200)}`);
    } finally {
      await context.close();
    }
  });

  test(`a citizen browses by department, opens a bundle and prints a guide (${width}px)`, async (t) => {
    const journey = 'browse';
    const { context, page } = await openPage(width);
    try {
      await page.goto(server.url + '/');
      const byDept = page.locator('section', { has: page.getByRole('heading', { name: '按部门浏览' }) });
      const deptLink = byDept.getByRole('link', { name: '潮州市城市管理和综合执法局', exact: true });
      await Promise.all([page.waitForURL(/\/departments\//), deptLink.click()]);
      assert.equal(await heading(page), '潮州市城市管理和综合执法局');
      await checkPage(page, t, { name: 'department', width, journey });

      const itemLink = page.getByRole('link', { name: '户外广告设施设置审批', exact: true });
      await Promise.all([page.waitForURL(/\/items\//), itemLink.click()]);
      const code = itemCodes['户外广告设施设置审批'];
      assert.equal(new URL(page.url()).pathname, `/items/${code}`);
      assert.equal(await heading(page), '户外广告设施设置审批');
      await assertGuideSections(page, 'guide');
      await checkPage(page, t, { name: 'guide', width, journey, noScroll: true });

      // The print view of this guide: the same sections, on a page without site navigation.
      await Promise.all([page.waitForURL(/\/print$/), page.getByRole('link', { name: '打印办事指南' }).click()]);
      assert.equal(new URL(page.url()).pathname, `/items/${code}/print`);
      assert.equal(await heading(page), '户外广告设施设置审批');
      await assertGuideSections(page, 'print view');
      await checkPage(page, t, { name: 'print', width, journey });

      // The 开办餐饮店 bundle, reached from the site navigation.
      await page.goto(server.url + '/');
      await Promise.all([page.waitForURL(/\/bundles$/),
        page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '并联审批' }).click()]);
      assert.equal(await heading(page), '并联审批');
      await checkPage(page, t, { name: 'bundles', width, journey });
      await Promise.all([page.waitForURL(/\/bundles\/./), page.getByRole('link', { name: '开办餐饮店', exact: true }).click()]);
      assert.equal(await heading(page), '开办餐饮店');
      for (const name of ['食品经营许可', '户外广告设施设置审批']) {
        assert.ok(await page.getByRole('link', { name, exact: true }).isVisible(), `the bundle lists ${name}`);
      }
      await checkPage(page, t, { name: 'bundle', width, journey });

      // From the bundle to one of its items.
      await Promise.all([page.waitForURL(/\/items\//), page.getByRole('link', { name: '食品经营许可', exact: true }).click()]);
      assert.equal(await heading(page), '食品经营许可');
    } finally {
      await context.close();
    }
  });

  test(`a visitor without JavaScript searches and reads a guide (${width}px)`, async (t) => {
    const journey = 'nojs';
    const { context, page } = await openPage(width, { javaScript: false });
    try {
      await page.goto(server.url + '/');
      await checkPage(page, t, { name: 'home', width, journey, javaScript: false, noScroll: true });
      await searchFor(page, '规划');
      const result = page.getByRole('link', { name: '建设工程规划许可证', exact: true });
      assert.ok(await result.isVisible(), 'the results list 建设工程规划许可证');
      await checkPage(page, t, { name: 'search', width, journey, javaScript: false, noScroll: true });
      await Promise.all([page.waitForURL(/\/items\//), result.click()]);
      assert.equal(await heading(page), '建设工程规划许可证');
      await assertGuideSections(page, 'guide');
      await checkPage(page, t, { name: 'guide', width, journey, javaScript: false, noScroll: true });
    } finally {
      await context.close();
    }
  });
}

test('axe finds no serious or critical accessibility violations on any page visited', (t) => {
  const other = axeFindings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
  for (const f of other) t.diagnostic(`(not failing) axe ${f.impact} ${f.id} on ${f.page}: ${f.targets.join(', ')}`);
  for (const f of overflowFindings) t.diagnostic(`(see journeys) horizontal scroll on ${f.page}`);
  const blocking = axeFindings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  assert.deepEqual(blocking.map((f) => `${f.impact} ${f.id} on ${f.page}: ${f.help} — ${f.targets.join(', ')}`), []);
});
