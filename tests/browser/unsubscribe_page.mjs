// A family's click, in a real browser: Debian's chromium, driven by playwright-core, opens
// an unsubscribe link's page as a phone would (scripts off), checks what it says and that
// nothing was fetched from another origin, presses the button and reads the confirmation.
//
//   node unsubscribe_page.mjs URL PROGRAM MASKED_ADDRESS [SCREENSHOT_DIR]
//
// Exits 0 when every check held; otherwise prints each failed check and exits 1 (2 on a
// timeout). tests/browser/unsubscribe_page_test.cpp runs it against a real optgated.
import { chromium } from 'playwright-core';

const [url, program, maskedAddress, screenshotDir] = process.argv.slice(2);
if (!url || !program || !maskedAddress) {
  console.error('usage: node unsubscribe_page.mjs URL PROGRAM MASKED_ADDRESS [SCREENSHOT_DIR]');
  process.exit(64);
}

const failures = [];
function check(condition, what) {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) failures.push(what);
}

// Bounded in time whatever chromium does; playwright closes the browser on exit.
setTimeout(() => {
  console.error('FAIL timed out after 60 s');
  process.exit(2);
}, 60_000).unref();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  // --no-sandbox: CI runs as root. The rest keep chromium off the (closed) network.
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-first-run'],
});
const origin = new URL(url).origin;
const requests = [];
try {
  const context = await browser.newContext({
    javaScriptEnabled: false,  // the page must work without any script
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  context.on('request', (request) => requests.push(request));
  const page = await context.newPage();

  const get = await page.goto(url);
  check(get.status() === 200, `GET answers 200 (got ${get.status()})`);
  const csp = (await get.allHeaders())['content-security-policy'] || '';
  check(csp.includes("default-src 'none'"), `a strict Content-Security-Policy (${csp})`);

  const title = `Unsubscribe from ${program} emails`;
  check((await page.title()) === title, `the title is "${title}"`);
  check(await page.getByRole('heading', { name: title }).isVisible(), 'the heading says it');
  const text = await page.locator('main').innerText();
  check(text.includes(maskedAddress), `the page shows the address masked (${maskedAddress})`);
  check(text.includes('Emergency messages will still reach you'),
        'the page says that emergency messages continue');
  const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
  check((viewport || '').includes('width=device-width'), 'a viewport meta tag for phones');
  const fitsThePhone = await page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth);
  check(fitsThePhone, 'nothing overflows a 390 px wide phone screen');

  const button = page.getByRole('button', { name: 'Unsubscribe' });
  check((await button.count()) === 1, 'one Unsubscribe button');
  // The style is allowed by its hash in the policy: a wrong hash would leave it grey.
  const background = await button.evaluate((b) => getComputedStyle(b).backgroundColor);
  check(background === 'rgb(29, 78, 216)', `the page's own style applies (button ${background})`);
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/unsubscribe-page.png` });

  const [post] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    button.click(),
  ]);
  check(post.status() === 200, `the button's POST answers 200 (got ${post.status()})`);
  check(post.request().postData() === 'List-Unsubscribe=One-Click',
        `the button posts List-Unsubscribe=One-Click (${post.request().postData()})`);
  check(post.url() === url, 'the button posts to the link itself');
  const done = page.getByRole('heading', { name: 'You are unsubscribed' });
  await done.waitFor({ timeout: 10_000 });
  check(await done.isVisible(), 'the confirmation page says "You are unsubscribed"');
  const doneText = await page.locator('main').innerText();
  check(doneText.includes(`will get no more ${program} emails`),
        'the confirmation says which emails stop');
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/unsubscribe-done.png` });
} catch (error) {
  check(false, String(error));
} finally {
  await browser.close();
}
// Whatever happened above: every request the pages made went to the link's own origin.
const elsewhere = requests.map((r) => r.url()).filter((u) => new URL(u).origin !== origin);
check(requests.length >= 1, `the browser's requests were seen (${requests.length})`);
check(elsewhere.length === 0, `no request left for another origin (${elsewhere.join(' ')})`);
console.log(failures.length === 0 ? 'all checks passed' : `${failures.length} checks failed`);
process.exit(failures.length === 0 ? 0 : 1);
