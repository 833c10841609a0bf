import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { accessible, expect, hydrated, loginAt, PASSWORD, screenshot, test, TIME } from './helpers';
import type { Page } from '@playwright/test';

const steps = (page: Page) => page.getByRole('list', { name: 'Booking steps' }).locator('[aria-current="step"]');

// The two projects run side by side on one server: each books with its own student and tutor.
const people = {
  desktop: { email: 'maya@student.test', tutor: 'Tom Walker', zone: 'Eastern Time (New York)', sessions: 1, rivalStudent: 'kenji@student.test', rivalTutor: 3 },
  phone: { email: 'kenji@student.test', tutor: 'Priya Nair', zone: 'Japan Time (Tokyo)', sessions: 0, rivalStudent: 'maya@student.test', rivalTutor: 4 },
};

test('book Algebra I through Next Available, with reminders and a note', async ({ page }, info) => {
  const who = people[info.project.name as keyof typeof people];
  await loginAt(page, '/courses/1/book', who.email);
  await hydrated(page);
  await page.getByRole('button', { name: `Select ${who.tutor}` }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeFocused();
  await expect(page.getByRole('grid')).toBeVisible();
  await accessible(page);
  await screenshot(page, 'book-1-date', info.project.name);

  await page.getByRole('button', { name: /^Next Available/ }).click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeFocused();
  await expect(steps(page)).toContainText('Time');
  await expect(page.getByText('Times shown in')).toContainText(who.zone);
  await expect(page.getByText('60 min')).toBeVisible();
  await accessible(page);
  await screenshot(page, 'book-2-time', info.project.name);
  const first = page.getByRole('button', { name: TIME }).first();
  const box = await first.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await first.click();

  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeFocused();
  // The time's summary shows at once; the step itself (and its URL) once its hold is placed.
  await expect(page).toHaveURL(/&start=/);
  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeFocused();
  const start = new URL(page.url()).searchParams.get('start')!;
  const summary = page.locator('dl.summary');
  await expect(summary).toContainText('Algebra I');
  await expect(summary).toContainText(who.tutor);
  await expect(summary).toContainText('60 minutes');
  await expect(page.getByLabel('Remind me before the session')).toBeChecked();
  await page.getByLabel(`Note for ${who.tutor} (optional)`).fill('Chapter 3, please.');
  await expect(page.getByText('982 characters left')).toBeVisible();
  const book = page.getByRole('button', { name: 'Book Session' });
  if (info.project.name === 'phone') {
    // Sticky: in reach at the bottom of the screen before scrolling down to it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect(book).toBeInViewport();
  }
  await accessible(page);
  await screenshot(page, 'book-3-confirm', info.project.name);
  // A double click books once.
  await book.dblclick();

  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
  await expect(page).toHaveURL(/\/sessions\/\d+\/booked$/);
  const room = page.getByRole('link', { name: 'Join video room' });
  await expect(room).toHaveAttribute('href', /^https:\/\/meet\.jit\.si\/peertutor-[a-z0-9]{24}$/);
  await expect(room).toHaveAttribute('target', '_blank');
  await accessible(page);
  await screenshot(page, 'book-4-booked', info.project.name);

  // The confirmation to the student and to the tutor arrive at the SMTP server, each with the
  // invitation to this session's room.
  const url = (await room.getAttribute('href'))!;
  const inbox = '../target/e2e-smtp/box/new';
  const invitations = () =>
    (existsSync(inbox) ? readdirSync(inbox) : []).map((f) => readFileSync(`${inbox}/${f}`, 'utf8')).filter((m) => m.includes(url) && /method=REQUEST/i.test(m));
  await expect.poll(() => invitations().length, { timeout: 15_000 }).toBe(2);
  const recipients = invitations().map((m) => m.match(/^To: .*$/m)![0]);
  expect(recipients.some((to) => to.includes(who.email))).toBe(true);
  expect(recipients.some((to) => to.includes(who.tutor))).toBe(true);

  await expect(page.getByRole('link', { name: 'Google Calendar' })).toHaveAttribute('href', /calendar\.google\.com.*dates=/);
  await expect(page.getByRole('link', { name: 'Outlook' })).toHaveAttribute('href', /outlook\.live\.com.*startdt=/);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Apple Calendar (.ics)' }).click();
  const ics = readFileSync(await (await download).path(), 'utf8');
  const utc = start.replace(/[-:]/g, '').replace(/\.\d+/, '');
  expect(ics).toContain(`DTSTART:${utc}`);

  // It survives a reload, and the dashboard lists it.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to Dashboard' }).click();
  const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
  await expect(upcoming.getByText(who.tutor)).toHaveCount(who.sessions + 1);
  await expect(upcoming.getByRole('link', { name: `Join video room for Algebra I with ${who.tutor}` })).toHaveCount(who.sessions + 1);
});

test('the calendar is a date grid the keyboard operates', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'keyboard');
  await loginAt(page, '/book/2', 'kenji@student.test');
  await hydrated(page);
  const grid = page.getByRole('grid');
  const month = page.locator('#month-title');
  const focused = page.locator(':focus');
  const stop = grid.locator('button[tabindex="0"]');
  await expect(stop).toHaveCount(1);
  await stop.focus();
  const day = Number(await stop.getAttribute('data-day'));
  const next = day < 28 ? day + 1 : day - 1;
  await page.keyboard.press(day < 28 ? 'ArrowRight' : 'ArrowLeft');
  await expect(grid.locator(`button[data-day="${next}"]`)).toBeFocused();
  await expect(grid.locator('button[tabindex="0"]')).toHaveCount(1);

  // Home and End from days chosen here, not from wherever today falls: the last day of this
  // month and the 1st of the next sit in partial weeks unless the month ends on a Sunday or
  // starts on a Monday, and then the week's end lies in the adjacent month (WAI-ARIA APG).
  const thisMonth = (await month.textContent())!;
  const last = grid.locator('button[data-day]').last();
  const lastDate = isoDate(await last.getAttribute('value'));
  await last.focus();
  await page.keyboard.press('End');
  const sunday = addDays(lastDate, (7 - lastDate.getDay()) % 7);
  await expect(focused).toHaveAttribute('value', iso(sunday));
  await expect(focused).toHaveAttribute('aria-label', /^Sunday/);
  await expect(grid.locator('button[tabindex="0"]')).toHaveCount(1);
  const nextMonth = (await month.textContent())!;
  expect(nextMonth !== thisMonth).toBe(sunday.getMonth() !== lastDate.getMonth());

  const first = grid.locator('button[data-day="1"]');
  if (nextMonth === thisMonth) {
    await page.keyboard.press('PageDown');
    await expect(month).not.toHaveText(thisMonth);
  }
  const firstDate = isoDate(await first.getAttribute('value'));
  await first.focus();
  await page.keyboard.press('Home');
  const monday = addDays(firstDate, -((firstDate.getDay() + 6) % 7));
  await expect(focused).toHaveAttribute('value', iso(monday));
  await expect(focused).toHaveAttribute('aria-label', /^Monday/);
  if (monday.getMonth() !== firstDate.getMonth()) await expect(month).toHaveText(thisMonth);

  // A month away and back, focus staying in the grid.
  const before = (await month.textContent())!;
  await page.keyboard.press('PageDown');
  await expect(month).not.toHaveText(before);
  await expect(grid.locator('button[tabindex="0"]')).toBeFocused();
  await page.keyboard.press('PageUp');
  await expect(month).toHaveText(before);
  await expect(grid.locator('button[tabindex="0"]')).toBeFocused();
});

/** A `YYYY-MM-DD` date as a local calendar date (no timezone shift). */
function isoDate(value: string | null): Date {
  const [y, m, d] = value!.split('-').map(Number);
  return new Date(y, m - 1, d);
}

function iso(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

test('swiping the calendar changes the month on a phone', async ({ page }, info) => {
  test.skip(info.project.name !== 'phone', 'touch');
  await loginAt(page, '/book/2', 'kenji@student.test');
  await hydrated(page);
  const month = page.locator('#month-title');
  const before = await month.textContent();
  const grid = page.getByRole('grid');
  const box = (await grid.boundingBox())!;
  const y = box.y + box.height / 2;
  await grid.dispatchEvent('pointerdown', { clientX: box.x + box.width - 20, clientY: y, pointerType: 'touch' });
  await grid.dispatchEvent('pointerup', { clientX: box.x + 20, clientY: y + 5, pointerType: 'touch' });
  await expect(month).not.toHaveText(before!);
  await expect(page).toHaveURL(/month=\d{4}-\d{2}/);
});

test('a time taken meanwhile sends the student back to that date, told so', async ({ page, browser, baseURL }, info) => {
  const who = people[info.project.name as keyof typeof people];
  await loginAt(page, `/book/${who.rivalTutor}`, who.email);
  await hydrated(page);
  await page.getByRole('button', { name: /^Next Available/ }).click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeFocused();
  await page.getByRole('button', { name: TIME }).first().click();
  await expect(page).toHaveURL(/&start=/);
  const start = new URL(page.url()).searchParams.get('start')!;
  await expect(page.getByText('This time is held for you for 5 minutes while you confirm.')).toBeVisible();
  // The hold runs out (the student left the step open too long), and someone else books it.
  const released = await page.request.post('/api/release_hold', { form: { start }, headers: { Origin: baseURL!, Accept: 'application/json' } });
  expect(released.status()).toBe(200);
  const rival = await browser.newContext({ baseURL });
  const login = await rival.request.post('/api/login', { form: { email: who.rivalStudent, password: PASSWORD }, headers: { Origin: baseURL! } });
  expect(login.ok()).toBeTruthy();
  const taken = await rival.request.post('/api/book_session', {
    form: { st_id: String(who.rivalTutor), start, idempotency_key: `rival-${info.project.name}-${Date.now()}` },
    headers: { Origin: baseURL!, Accept: 'application/json' },
  });
  expect(taken.status()).toBe(200);
  await rival.close();

  await page.getByRole('button', { name: 'Book Session' }).click();
  await expect(page.getByRole('alert')).toHaveText('This time is no longer available. Select another.');
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await expect(page.getByRole('button', { name: TIME }).filter({ hasText: start })).toHaveCount(0);
  await screenshot(page, 'book-error-taken', info.project.name);
});
