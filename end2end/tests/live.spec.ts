import { accessible, expect, hydrated, loginAt, screenshot, test, TIME } from './helpers';
import type { Page, Request } from '@playwright/test';

// Times that stay true (docs/booking-contract.md §9), with two students side by side: Maya in
// New York and Kenji in Tokyo, both looking at Sofia's times. Runs after the other specs (its
// own project), because a hold on a time changes what every other student is offered.

const sofia = 'Sofia Alves';

/** The month after `YYYY-MM`. */
function monthAfter(month: string) {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** Maya's first open time with Sofia: its start (RFC 3339) and the URL of its date's times. */
async function mayasFirstTime(page: Page) {
  await loginAt(page, '/courses/1/book', 'maya@student.test');
  await hydrated(page);
  await page.getByRole('button', { name: `Select ${sofia}` }).click();
  await page.getByRole('button', { name: /^Next Available/ }).click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeFocused();
  const first = page.getByRole('button', { name: TIME }).first();
  return { button: first, start: (await first.getAttribute('value'))!, url: new URL(page.url()) };
}

test('a time another student holds or books turns taken on screen, without a reload', async ({ page, browser, baseURL }, info) => {
  const maya = await mayasFirstTime(page);

  // Kenji looks at the same instant on his own date.
  const kenjisDate = new Date(maya.start).toLocaleDateString('en-CA', { timeZone: 'Asia/Tokyo' });
  const context = await browser.newContext({ ...info.project.use, baseURL });
  const kenji = await context.newPage();
  const kenjisTimes = new URL(maya.url);
  kenjisTimes.searchParams.set('date', kenjisDate);
  await loginAt(kenji, kenjisTimes.pathname + kenjisTimes.search, 'kenji@student.test');
  await hydrated(kenji);
  const open = kenji.locator(`button[name="start"][value="${maya.start}"]`);
  await expect(open).toBeVisible();
  const kenjisLabel = (await open.locator('.time-start').textContent())!;
  const taken = kenji.locator('.time-slot.just-taken').filter({ hasText: kenjisLabel });

  // Maya opens the confirm step: the time is held for her, and taken on Kenji's screen.
  await maya.button.click();
  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeFocused();
  await expect(page.getByText('This time is held for you for 5 minutes while you confirm.')).toBeVisible();
  await expect(taken).toContainText('Just taken by someone else');
  await expect(open).toHaveCount(0);
  await expect(kenji.getByRole('status').filter({ hasText: 'was just taken' })).toContainText(kenjisLabel);
  await accessible(kenji);
  await screenshot(kenji, 'live-held', info.project.name);
  // Held for Maya: Kenji cannot book it.
  const stId = maya.url.searchParams.get('st')!;
  const refused = await context.request.post('/api/book_session', {
    form: { st_id: stId, start: maya.start, idempotency_key: 'kenji-live-held' },
    headers: { Origin: baseURL!, Accept: 'application/json' },
  });
  expect(refused.status()).toBe(409);

  // Maya goes back: the hold ends, and the time is open again for Kenji.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await expect(open).toBeVisible();

  // Maya books it: taken for good.
  await page.locator(`button[name="start"][value="${maya.start}"]`).click();
  await page.getByRole('button', { name: /^(Book Session|Continue to Payment)$/ }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+\/booked$/);
  await expect(taken).toBeVisible();
  await expect(open).toHaveCount(0);

  // Kenji's own confirm step for it says so.
  const confirm = new URL(kenjisTimes);
  confirm.searchParams.set('start', maya.start);
  await kenji.goto(confirm.pathname + confirm.search);
  await expect(kenji.getByRole('alert')).toContainText('This time is no longer available.');
  await context.close();
});

test('a date, an adjacent month and the way back answer from memory, and the URL follows', async ({ page }, info) => {
  await loginAt(page, '/courses/1/book', 'maya@student.test');
  await hydrated(page);
  // Once hydrated, the island fetches the adjacent months while the page is idle.
  const nextMonth = monthAfter(new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' }).slice(0, 7));
  const prefetched = page.waitForResponse((r) => r.url().endsWith('/api/load_month_times') && r.request().postData()!.includes(`month=${nextMonth}`));
  await page.getByRole('button', { name: `Select ${sofia}` }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeFocused();
  const next = page.getByRole('link', { name: 'Next month' });
  await expect(next).toHaveAttribute('href', new RegExp(`month=${nextMonth}$`));
  await prefetched;

  // From here on, nothing these screens need is fetched: no page, no month, no date's times.
  // (The month after the next is fetched ahead as the next one shows.)
  const ahead = monthAfter(nextMonth);
  const fetched: string[] = [];
  page.on('request', (r) => {
    const wanted = r.resourceType() === 'document' || /\/api\/load_(month_times|day_times|month_days)$/.test(r.url());
    if (wanted && !(r.postData() ?? '').includes(`month=${ahead}`)) fetched.push(`${r.url()} ${r.postData() ?? ''}`);
  });
  const title = page.locator('#month-title');
  const before = await title.textContent();
  await next.click();
  await expect(title).not.toHaveText(before!);
  await expect(page).toHaveURL(new RegExp(`month=${nextMonth}$`));
  const day = page.locator('button[name="date"][aria-disabled="false"]').first();
  const date = (await day.getAttribute('value'))!;
  await day.click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`date=${date}$`));
  await expect(page.getByRole('list', { name: 'Booking steps' }).locator('[aria-current="step"]')).toContainText('Time');
  await expect(page.getByRole('button', { name: TIME }).first()).toBeVisible();
  await page.getByRole('link', { name: '← Choose another date' }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeFocused();
  await expect(page.locator(`td[aria-selected="true"] button[value="${date}"]`)).toHaveCount(1);
  expect(fetched).toEqual([]);

  // Back and forward move between the screens; a reload lands on the same one.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`date=${date}$`));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await expect(page.getByRole('button', { name: TIME }).first()).toBeVisible();
  await accessible(page);
  await screenshot(page, 'live-time', info.project.name);
});
