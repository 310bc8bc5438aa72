// What the browser tests share: Debian's Chromium launched headless through
// Playwright (playwright-core), and a runner that gives each case a fresh
// page, collects its script errors and policy violations (a case may drop
// those it causes from `page.problems`), prints `ok`/`FAIL` per case, saves
// a screenshot of a failing one, and sets the exit status.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

/**
 * Runs `cases` (name → async function of a page) in headless Chromium.
 * Options: `artifacts` (where screenshots go), `viewport`, `open(page)`
 * (called before each case), `watch(page)` (more problems to collect),
 * `after(browser)` (called once the cases have run, with the browser open).
 */
async function run(cases, { artifacts, viewport, open = async () => {}, watch = () => {}, after = async () => {} }) {
  assert.ok(artifacts, 'KEFU_LINT_ARTIFACTS: where the screenshots go');
  fs.mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  let failed = 0;
  try {
    for (const [name, test] of Object.entries(cases)) {
      const started = Date.now();
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.problems = [];
      page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`); });
      watch(page);
      try {
        await open(page);
        await test(page);
        assert.deepEqual(page.problems, [], 'no script errors and no policy violations');
        console.log(`ok ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed += 1;
        console.log(`FAIL ${name}: ${e.stack || e}`);
        await page.screenshot({ path: path.join(artifacts, `failed-${Object.keys(cases).indexOf(name)}.png`) });
      } finally {
        await context.close();
      }
    }
    await after(browser);
  } finally {
    await browser.close();
  }
  console.log(failed === 0 ? `all ${Object.keys(cases).length} passed` : `${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/** Runs `main`, turning an error outside the cases into a failure. */
function start(main) {
  main().catch((e) => {
    console.log(`FAIL: ${e.stack || e}`);
    process.exitCode = 1;
  });
}

module.exports = { run, start };
