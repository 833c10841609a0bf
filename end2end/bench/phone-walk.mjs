// The throttled-phone walk (BENCHMARKS.md, "Taps on a throttled phone"): Chromium as a Pixel 7
// on Lighthouse's "Slow 4G" (150 ms round trip, 1.6 Mbps down, 750 kbps up) with a 4× slower
// CPU, booking with Priya from the dashboard. Prints each tap's time, from the click to what it
// asked for on screen, as the median of WALKS walks (Node's clock around Playwright's click
// and wait, so each figure includes a few milliseconds of Playwright itself).
//   node end2end/bench/phone-walk.mjs BASE_URL COOKIE [WALKS]
import { chromium, devices } from '@playwright/test';

const [base, cookie, walks = '3'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const TIME = /^\d{1,2}:\d{2} [AP]M to \d{1,2}:\d{2} [AP]M$/;
const taps = {};

async function walk() {
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL: base });
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto('/dashboard');
  await page.locator('html[data-hydrated]').waitFor();
  // Each tap is timed in the page: from its click to the first frame showing `target`, one of
  // { heading }, { month, same } (the month title equal to `month` or not) or { times }.
  const shownSince = (target) => page.waitForFunction((target) => {
    const shown = target.heading !== undefined
      ? [...document.querySelectorAll('h1, h2')].some((h) => h.textContent.trim() === target.heading)
      : target.month !== undefined
        ? (document.querySelector('#month-title')?.textContent === target.month) === target.same
        : document.querySelector(target.selector) !== null;
    return window.__tapAt !== undefined && shown && performance.now() - window.__tapAt;
  }, target, { polling: 'raf' }).then((ms) => ms.jsonValue());
  // `then`: a second thing the same tap brings, later, timed from the same click.
  const tap = async (name, target, action, then) => {
    await page.evaluate(() => {
      window.__tapAt = undefined;
      addEventListener('click', () => { window.__tapAt = performance.now(); }, { capture: true, once: true });
    });
    await action();
    (taps[name] ??= []).push(await shownSince(target));
    if (then) (taps[then.name] ??= []).push(await shownSince(then.target));
    // A person looks at each screen before the next tap.
    await page.waitForTimeout(1500);
  };
  const heading = (text) => ({ heading: text });
  await tap('dashboard → the course’s Student-Teachers', heading('Choose a Student-Teacher'),
    () => page.getByRole('link', { name: 'Book Session for Algebra I' }).click());
  await tap('a Student-Teacher → the date step', heading('Select a date'),
    () => page.getByRole('button', { name: 'Select Priya Nair' }).click());
  const month = await page.locator('#month-title').textContent();
  const monthIs = (same) => ({ month, same });
  await tap('next month → the new month on screen', monthIs(false),
    () => page.getByRole('link', { name: 'Next month' }).click());
  await tap('back again → this month on screen', monthIs(true),
    () => page.getByRole('link', { name: 'Previous month' }).click());
  await tap('a date → its times on screen', { selector: 'button[name="start"]' },
    () => page.locator('button[name="date"][aria-disabled="false"]').first().click());
  await tap('a time → the confirm step', heading('Confirm your session'),
    () => page.getByRole('button', { name: TIME }).first().click(),
    { name: '… and its Book button, the time held', target: { selector: 'button.book-button' } });
  await page.getByRole('button', { name: /^(Book Session|Continue to Payment)$/ }).waitFor();
  await tap('Book Session → "Session Booked!"', heading('Session Booked!'),
    () => page.getByRole('button', { name: /^(Book Session|Continue to Payment)$/ }).click());
  await context.close();
}

for (let i = 0; i < Number(walks); i++) await walk();
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = Object.entries(taps).map(([name, times]) => [name, median(times)]);
console.log(`| tap (median of ${walks} walks) | ms |\n| --- | ---: |`);
for (const [name, ms] of rows) console.log(`| ${name} | ${Math.round(ms)} |`);
// The confirm step counts until its Book button is there to press.
const booking = ['dashboard', 'a Student-Teacher', 'a date', '… and its Book button', 'Book Session'];
const total = rows.filter(([name]) => booking.some((b) => name.startsWith(b))).reduce((sum, [, ms]) => sum + ms, 0);
console.log(`| dashboard → "Session Booked!", 5 taps | ${Math.round(total)} |`);
