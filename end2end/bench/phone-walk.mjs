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
  const tap = async (name, target, action) => {
    const started = performance.now();
    await action();
    await target.waitFor({ state: 'visible' });
    (taps[name] ??= []).push(performance.now() - started);
    // A person looks at each screen before the next tap.
    await page.waitForTimeout(1500);
  };
  const heading = (text) => page.getByRole('heading', { name: text });
  await tap('dashboard → the course’s Student-Teachers', heading('Choose a Student-Teacher'),
    () => page.getByRole('link', { name: 'Book Session for Algebra I' }).click());
  await tap('a Student-Teacher → the date step', heading('Select a date'),
    () => page.getByRole('button', { name: 'Select Priya Nair' }).click());
  const title = page.locator('#month-title');
  const month = await title.textContent();
  await tap('next month → the new month on screen', page.locator('#month-title', { hasNotText: month }),
    () => page.getByRole('link', { name: 'Next month' }).click());
  await tap('back again → this month on screen', page.locator('#month-title', { hasText: month }),
    () => page.getByRole('link', { name: 'Previous month' }).click());
  await tap('a date → its times on screen', page.getByRole('button', { name: TIME }).first(),
    () => page.locator('button[name="date"][aria-disabled="false"]').first().click());
  await tap('a time → the confirm step', heading('Confirm your session'),
    () => page.getByRole('button', { name: TIME }).first().click());
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
const booking = ['dashboard', 'a Student-Teacher', 'a date', 'a time', 'Book Session'];
const total = rows.filter(([name]) => booking.some((b) => name.startsWith(b))).reduce((sum, [, ms]) => sum + ms, 0);
console.log(`| dashboard → "Session Booked!", 5 taps | ${Math.round(total)} |`);
