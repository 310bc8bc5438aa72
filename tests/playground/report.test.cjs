// Browser tests of the page `kefu-lint report` writes: Playwright
// (playwright-core) driving headless Chromium over the file. Started by
// tests/report.rs, which writes the pages and works out what they must show.
// Environment: KEFU_LINT_REPORT_EXAMPLE (the report of
// examples/chat-sessions.jsonl), KEFU_LINT_REPORT_BIG (the report of a
// generated log of 250 sessions, with markup in its replies, made with
// --worst 40), KEFU_LINT_EXPECT (JSON: for "example" and "big", the
// "totals" and the findings per rule "byRule"), KEFU_LINT_ARTIFACTS (where
// the screenshots go), CHROMIUM (default /usr/bin/chromium),
// KEFU_LINT_DOC_SCREENSHOT (a path: also save the README's screenshot there).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { run, start } = require('./harness.cjs');

const EXAMPLE = pathToFileURL(process.env.KEFU_LINT_REPORT_EXAMPLE).href;
const BIG = pathToFileURL(process.env.KEFU_LINT_REPORT_BIG).href;
const EXPECT = JSON.parse(process.env.KEFU_LINT_EXPECT);
const ARTIFACTS = process.env.KEFU_LINT_ARTIFACTS;
const DOC_SCREENSHOT = process.env.KEFU_LINT_DOC_SCREENSHOT;

/** `data-count` of each bar of chart `id`, by its label's rule id. */
async function barsByRule(page, id) {
  const bars = await page.locator(`#${id} g.bar`).evaluateAll((gs) =>
    gs.map((g) => [g.dataset.label.split(' ')[0], Number(g.dataset.count)]));
  return Object.fromEntries(bars);
}

/** The figure shown for total `key`. */
async function total(page, key) {
  return Number(await page.locator(`[data-total="${key}"]`).textContent());
}

const cases = {
  async 'the example report shows the totals of its log'(page) {
    await page.goto(EXAMPLE);
    for (const [key, value] of Object.entries(EXPECT.example.totals)) {
      assert.equal(await total(page, key), value, key);
    }
    assert.equal(await total(page, 'problems'), 0);
  },

  async 'the charts hold the findings per rule and per agent'(page) {
    await page.goto(EXAMPLE);
    assert.deepEqual(await barsByRule(page, 'by-rule'), EXPECT.example.byRule);
    const all = Object.values(EXPECT.example.byRule).reduce((a, b) => a + b, 0);
    const agents = await page.locator('#by-agent g.bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.count)));
    assert.equal(agents.reduce((a, b) => a + b, 0), all, 'every finding belongs to one agent');
    // The histograms: their bins add up, and the slow answers are the time rules' findings.
    for (const [id, rule] of [['first-response', 'KS001'], ['reply-time', 'KS002']]) {
      const chart = page.locator(`#${id}`);
      const bins = await chart.locator('g.bin').evaluateAll((gs) => gs.map((g) => Number(g.dataset.count)));
      assert.equal(bins.reduce((a, b) => a + b, 0), Number(await chart.getAttribute('data-total')), id);
      assert.equal(Number(await chart.getAttribute('data-over')), EXPECT.example.byRule[rule] || 0, id);
      const overBins = await chart.locator('g.bin.over').evaluateAll((gs) => gs.map((g) => Number(g.dataset.count)));
      assert.equal(overBins.reduce((a, b) => a + b, 0), Number(await chart.getAttribute('data-over')), `${id}: red bins`);
    }
  },

  async 'a session expands into its conversation with the findings marked'(page) {
    await page.goto(EXAMPLE);
    const session = page.locator('details.session').first();
    const messages = session.locator('ol.messages > li');
    assert.equal(await messages.first().isVisible(), false, 'closed at first');
    await session.locator('summary').click();
    assert.equal(await session.evaluate((d) => d.open), true);
    assert.ok(await messages.count() > 1);
    assert.ok(await messages.first().isVisible());
    const listed = await session.locator('ul.findings > li').count();
    assert.equal(listed, Number(await session.getAttribute('data-findings')));
    const marks = session.locator('mark');
    assert.ok(await marks.count() > 0, 'a reply rule marks the words it flags');
    assert.match(await marks.first().getAttribute('title'), /^KF\d{3} /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    if (DOC_SCREENSHOT) fs.copyFileSync(path.join(ARTIFACTS, 'report.png'), DOC_SCREENSHOT);
  },

  async 'the worst sessions are paged, ten to a page'(page) {
    await page.goto(BIG);
    for (const [key, value] of Object.entries(EXPECT.big.totals)) {
      assert.equal(await total(page, key), value, key);
    }
    assert.equal(await total(page, 'problems'), 1, 'the record whose time is words');
    const pages = page.locator('#worst .page');
    assert.equal(await pages.count(), 4);
    assert.equal(await page.locator('#worst .page:not([hidden]) details.session').count(), 10);
    assert.ok(await pages.nth(0).isVisible());
    assert.equal(await pages.nth(1).isVisible(), false);
    const previous = page.locator('.pager button[data-step="-1"]');
    const next = page.locator('.pager button[data-step="1"]');
    assert.ok(await previous.isDisabled(), 'no page before the first');
    await next.click();
    assert.equal(await pages.nth(0).isVisible(), false);
    assert.ok(await pages.nth(1).isVisible());
    assert.equal(await page.locator('.page-number').textContent(), '2');
    await previous.click();
    assert.equal(await page.locator('.page-number').textContent(), '1');
    assert.ok(await pages.nth(0).isVisible());
    for (let n = 1; n < 4; n += 1) await next.click();
    assert.equal(await page.locator('.page-number').textContent(), '4');
    assert.ok(await next.isDisabled(), 'no page after the last');
  },

  async 'with scripts blocked, as in a mail reader, every session is reachable'(page) {
    const context = await page.context().browser().newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(BIG);
    assert.equal(await plain.locator('#worst .page:visible').count(), 4, 'every page shown');
    assert.equal(await plain.locator('#worst details.session:visible').count(), 40);
    assert.equal(await plain.locator('.pager').isVisible(), false, 'no pager that cannot work');
    await context.close();
  },

  async 'markup in a reply is shown as text and never runs'(page) {
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(BIG);
    // The first page's sessions, opened: the worst replies hold markup.
    const details = page.locator('#worst .page:not([hidden]) details.session');
    for (let n = 0; n < await details.count(); n += 1) await details.nth(n).locator('summary').click();
    const text = await page.locator('#worst').innerText();
    assert.ok(text.includes('<script>window.__pwned=1</script>你自己看吧'), 'the script tag is text');
    assert.ok(text.includes('</summary></details><img src=x onerror="window.__pwned=2">你自己看吧'), 'the closing tags are text');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('#worst img').count(), 0);
    assert.deepEqual(dialogs, []);
  },
};

async function main() {
  await run(cases, {
    artifacts: ARTIFACTS,
    viewport: { width: 1000, height: 900 },
    // Any load besides the page itself is a problem.
    watch(page) {
      page.on('request', (r) => { if (r.url() !== EXAMPLE && r.url() !== BIG) page.problems.push(`request: ${r.url()}`); });
    },
  });
}

start(main);
