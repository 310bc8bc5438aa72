// Browser tests of the playground page of `kefu-lint serve`: Playwright
// (playwright-core) driving headless Chromium against a running server.
// Started by tests/playground.rs, which starts the real binary; by hand:
//   KEFU_LINT_URL=http://127.0.0.1:8080 KEFU_LINT_ARTIFACTS=target/tmp/playground \
//     node tests/playground/playground.test.cjs
// Environment: KEFU_LINT_URL (the server), KEFU_LINT_ARTIFACTS (where the
// screenshots go), CHROMIUM (default /usr/bin/chromium), KEFU_LINT_DOC_SCREENSHOT
// (a path: also save the README's screenshot there).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { run, start } = require('./harness.cjs');

const BASE = process.env.KEFU_LINT_URL;
const ARTIFACTS = process.env.KEFU_LINT_ARTIFACTS;
const DOC_SCREENSHOT = process.env.KEFU_LINT_DOC_SCREENSHOT;
const TIMEOUT_MS = 10000;

/** The page with the reply checked: the preview shows exactly the reply's text. */
async function settled(page) {
  await page.waitForFunction(() => {
    const preview = document.getElementById('preview');
    return preview.dataset.state === 'done' && preview.textContent === document.getElementById('reply').value;
  }, null, { timeout: TIMEOUT_MS });
}

/** Types `text` into the reply box, key by key as an agent would, and waits for its check. */
async function typeReply(page, text) {
  await page.locator('#reply').pressSequentially(text, { delay: 10 });
  await settled(page);
}

/** The underline whose text is exactly `text`. */
function mark(page, text) {
  return page.locator('#preview mark.finding').filter({ hasText: new RegExp(`^${text}$`) });
}

/** Types `reply`, opens the finding underlined as `underlined`, and asserts it is `rule`'s, with no rewrite button. */
async function offersNoRewrite(page, reply, underlined, rule) {
  await typeReply(page, reply);
  await mark(page, underlined).click();
  const details = page.locator('#details');
  assert.match(await details.textContent(), rule);
  assert.equal(await details.locator('button.apply-suggestion').count(), 0);
}

/** The texts of the preview's underlines, in order. */
async function markTexts(page) {
  return page.locator('#preview mark.finding').allTextContents();
}

const cases = {
  async 'typing a reply underlines 我不能 and shows its suggestion'(page) {
    await typeReply(page, '亲,这个我不能给您改价哦');
    const underline = mark(page, '我不能');
    await assert.doesNotReject(underline.waitFor({ timeout: TIMEOUT_MS }));
    assert.equal(await underline.getAttribute('data-severity'), 'error');
    assert.match(await underline.getAttribute('aria-label'), /我不能/);
    assert.match(await underline.getAttribute('aria-label'), /错误/);
    // Screen readers meet it as a mark named by its text, severity and
    // message: Chromium's own accessibility tree says so.
    const tree = await (await page.context().newCDPSession(page)).send('Accessibility.getFullAXTree');
    const marks = tree.nodes.filter((n) => n.role && n.role.value === 'mark').map((n) => n.name.value);
    assert.ok(marks.some((name) => /^“我不能”,错误:不要说/.test(name)), `marks: ${marks}`);
    await underline.hover();
    const details = page.locator('#details');
    await details.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    const suggestion = details.locator('button.apply-suggestion[data-suggestion="看看我们能够帮您做什么"]');
    assert.equal(await suggestion.count(), 1);
    assert.match(await details.textContent(), /我不能/);
    // The live region announces the counts per severity.
    assert.equal(await page.locator('#counts').getAttribute('role'), 'status');
    assert.match(await page.locator('#counts').textContent(), /错误 1/);
    // Applying the suggestion rewrites the reply and checks it again.
    await suggestion.click();
    await settled(page);
    assert.equal(await page.locator('#reply').inputValue(), '亲,这个看看我们能够帮您做什么给您改价哦');
    assert.equal(await mark(page, '我不能').count(), 0);
  },

  async 'the safe fix turns 你的订单 into 您的订单'(page) {
    await typeReply(page, '你的订单已经发货了');
    // 你 is underlined inside the whole reply's own finding: the pointer
    // shows the innermost one.
    await mark(page, '你').hover();
    assert.match(await page.locator('#details').textContent(), /KF011 ni-instead-of-nin/);
    const whole = mark(page, '你的订单已经发货了');
    const box = await whole.boundingBox();
    await whole.hover({ position: { x: box.width - 4, y: box.height / 2 } });
    assert.match(await page.locator('#details').textContent(), /KF020/);
    assert.doesNotMatch(await page.locator('#details').textContent(), /KF011/);
    await mark(page, '你').click();
    const fix = page.locator('#details button.apply-fix[data-applicability="safe"]');
    await fix.click();
    await settled(page);
    assert.equal(await page.locator('#reply').inputValue(), '您的订单已经发货了');
    assert.deepEqual(await markTexts(page), []);
    assert.match(await page.locator('#counts').textContent(), /没有问题/);
  },

  // Advice and frames with blanks are in the message; only rewrites are
  // buttons, so one click cannot put them in the reply.
  async 'a placeholder finding offers no words to put over the slot'(page) {
    await offersNoRewrite(page, '亲,您的订单【订单号】已发货哦', '【订单号】', /KF017/);
  },

  async 'a whole-reply finding offers no words to put over the reply'(page) {
    await offersNoRewrite(page, '这个商品周三发货', '这个商品周三发货', /KF020/);
  },

  async 'fix all applies the safe fixes through /v1/fix'(page) {
    await typeReply(page, '你的订单已经发货了,你查收一下');
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/fix') && r.status() === 200);
    await page.locator('#fix-all').click();
    await answered;
    await settled(page);
    assert.equal(await page.locator('#reply').inputValue(), '您的订单已经发货了,您查收一下');
  },

  async 'a Traditional reply gets Traditional suggestions'(page) {
    await typeReply(page, '親,我們保證明天到貨');
    await mark(page, '保證').click();
    const suggestions = await page.locator('#details button.apply-suggestion').evaluateAll(
      (buttons) => buttons.map((b) => b.dataset.suggestion),
    );
    assert.ok(suggestions.includes('儘量'), `Traditional 儘量 among ${suggestions}`);
    assert.ok(!suggestions.includes('尽量'), `no Simplified 尽量 among ${suggestions}`);
  },

  async 'an emoji before a finding still underlines the right characters'(page) {
    await typeReply(page, '😊👍🏻亲,这个我不能给你改价哦');
    assert.deepEqual(await markTexts(page), ['我不能', '你']);
    // The text around the underlines is the reply's own, emoji intact.
    assert.equal(await page.locator('#preview').textContent(), '😊👍🏻亲,这个我不能给你改价哦');
  },

  async 'the keyboard alone reaches every control and applies a fix'(page) {
    const focused = [];
    const tab = async () => {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => {
        const active = document.activeElement;
        return active.id || `${active.tagName.toLowerCase()}:${active.textContent}`;
      }));
      return focused[focused.length - 1];
    };
    const tabTo = async (wanted) => {
      for (let i = 0; i < 20; i += 1) if ((await tab()) === wanted) return;
      assert.fail(`Tab never reached ${wanted}: ${focused}`);
    };
    await tabTo('reply');
    assert.ok(focused.includes('sample'), `the sample menu before the reply: ${focused}`);
    assert.ok(focused.includes('mode-draft'), `the mode switch before the reply: ${focused}`);
    await page.keyboard.type('你的订单已经发货了');
    await settled(page);
    await tabTo('fix-all');
    await tabTo('mark:你');
    await page.locator('#details').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'apply-fix');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '你', 'Escape goes back to the underline');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await settled(page);
    assert.equal(await page.locator('#reply').inputValue(), '您的订单已经发货了');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reply', 'the focus goes back to the reply');
  },

  async 'the mode switch and the sample menu'(page) {
    await page.locator('input[name="mode"][value="library"]').check();
    await settled(page);
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/check') && JSON.parse(r.postData()).mode === 'library');
    await page.locator('#sample').selectOption({ label: '親,我們保證明天到貨' });
    await sent;
    await settled(page);
    assert.equal(await page.locator('#reply').inputValue(), '親,我們保證明天到貨');
    assert.ok((await markTexts(page)).includes('保證'));
  },

  async 'markup in a reply is shown as text'(page) {
    let dialogs = 0;
    page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
    const reply = '<img src=x onerror=alert(1)>我不能<b>改</b>';
    await typeReply(page, reply);
    await mark(page, '我不能').click();
    assert.equal(await page.locator('img, b').count(), 0);
    assert.equal(await page.locator('#preview').textContent(), reply);
    assert.equal(dialogs, 0);
  },

  async 'an error of the service is shown, and the next check clears it'(page) {
    // Over the service's 1 MiB body limit: answered 413 with a JSON error.
    await page.locator('#reply').fill('好'.repeat(400000));
    const alert = page.locator('#error[role="alert"]');
    await alert.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    assert.match(await alert.textContent(), /^检查失败:.*larger than this server takes/);
    page.problems = page.problems.filter((p) => !/status of 413/.test(p));
    await page.locator('#reply').fill('');
    await typeReply(page, '你好');
    await alert.waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
  },

  async 'at phone width nothing scrolls sideways'(page) {
    await page.setViewportSize({ width: 360, height: 740 });
    await typeReply(page, '亲,这个我不能给你改价哦,详情见https://shop.example.com/a-very-long-path-without-any-break-in-it-at-all');
    await mark(page, '我不能').click();
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(widths.scroll <= widths.client, `scrollWidth ${widths.scroll} > ${widths.client}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground-phone.png'), fullPage: true });
  },
};

async function main() {
  assert.ok(BASE, 'KEFU_LINT_URL: the server to test');
  await run(cases, {
    artifacts: ARTIFACTS,
    viewport: { width: 1024, height: 700 },
    async open(page) {
      await page.goto(BASE, { waitUntil: 'load' });
      await settled(page);
    },
    async after(browser) {
      const context = await browser.newContext({ viewport: { width: 720, height: 560 } });
      const page = await context.newPage();
      await page.goto(BASE);
      await settled(page);
      await typeReply(page, '😊亲,这个我不能给你改价哦,我们保证明天到货');
      await mark(page, '我不能').hover();
      const screenshot = path.join(ARTIFACTS, 'playground.png');
      await page.screenshot({ path: screenshot });
      if (DOC_SCREENSHOT) fs.copyFileSync(screenshot, DOC_SCREENSHOT);
      await context.close();
    },
  });
}

start(main);
