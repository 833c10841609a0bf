import { accessible, expect, loginAt, screenshot, test, TIME } from './helpers';
import type { Page } from '@playwright/test';

// Priya's booking page (her student_teachers row) and her own login.
const PRIYA_BOOKING = '/book/1';
const PRIYA = 'priya@tutor.test';

// Each project with its own student and its own days of Priya's next month; other specs book
// her first open times, which these stay clear of.
const people: Record<string, { email: string; dayOff: number; booked: number; farDate: string }> = {
  desktop: { email: 'maya@student.test', dayOff: 1, booked: 3, farDate: '2099-12-24' },
  phone: { email: 'kenji@student.test', dayOff: 2, booked: 4, farDate: '2099-12-28' },
};


/** Logs out whoever is in and logs `email` in, arriving at `path`. */
async function as(page: Page, email: string, path: string) {
  await page.context().clearCookies();
  await loginAt(page, path, email);
}

/** On the date step: the open days of the month shown, as `YYYY-MM-DD`. */
async function openDays(page: Page): Promise<string[]> {
  const days = page.getByRole('grid').getByRole('button', { name: /available$/ });
  await expect(days.first()).toBeVisible();
  return days.evaluateAll((buttons) => buttons.map((b) => (b as HTMLButtonElement).value));
}

/** From the first date step, the next month's open days and that month's own URL. */
async function nextMonthDays(page: Page): Promise<{ days: string[]; url: string }> {
  await page.getByRole('link', { name: 'Next month' }).click();
  await expect(page).toHaveURL(/[?&]month=\d{4}-\d{2}/);
  const url = new URL(page.url());
  return { days: await openDays(page), url: url.pathname + url.search };
}

/** "Friday, January 29, 2027", as the schedule page writes a date. */
function longDate(date: string) {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC',
  });
}

test('a Student-Teacher takes a day off and the student no longer sees it, until it is removed', async ({ page }, info) => {
  const who = people[info.project.name];
  await as(page, who.email, PRIYA_BOOKING);
  const month = await nextMonthDays(page);
  const day = month.days[month.days.length - 1 - who.dayOff];

  await as(page, PRIYA, '/teach');
  await page.getByRole('link', { name: 'Time off' }).click();
  await expect(page.getByRole('heading', { name: 'Your hours and time off' })).toBeVisible();
  // Priya's hours as seeded, in her own timezone.
  await expect(page.getByLabel('Monday', { exact: true })).toHaveValue('17:00–21:00');
  await expect(page.getByLabel('Saturday', { exact: true })).toHaveValue('');
  // A refused save names the range and keeps what was typed.
  await page.getByLabel('Tuesday', { exact: true }).fill('17:00–21:00, 18:00–19:00');
  await page.getByRole('button', { name: 'Save weekly hours' }).click();
  await expect(page.getByRole('alert')).toHaveText('Tuesday 17:00–21:00 overlaps 18:00–19:00: join them into one range or move one.');
  await expect(page.getByLabel('Tuesday', { exact: true })).toHaveValue('17:00–21:00, 18:00–19:00');
  await page.getByLabel('First day').fill(day);
  await page.getByRole('button', { name: 'Add time off' }).click();
  await expect(page.getByRole('status')).toContainText('Time off added.');
  const timeOff = page.getByRole('region', { name: 'Time off' });
  await expect(timeOff.getByText(longDate(day), { exact: true })).toBeVisible();
  await accessible(page);
  await screenshot(page, 'schedule', info.project.name);

  // Priya's Kolkata evening is the student's morning of the same date.
  await as(page, who.email, month.url);
  const without = await openDays(page);
  expect(without).not.toContain(day);
  // The month's last open day is nobody's day off here.
  expect(without).toContain(month.days[month.days.length - 1]);

  await as(page, PRIYA, '/teach/schedule');
  await timeOff.getByRole('button', { name: `Remove time off: ${longDate(day)}` }).click();
  await expect(page.getByRole('status')).toContainText('Time off removed.');
  await as(page, who.email, month.url);
  expect(await openDays(page)).toContain(day);
});

test('a Student-Teacher cancels a session and the student sees it cancelled on the dashboard', async ({ page }, info) => {
  const who = people[info.project.name];
  await as(page, who.email, PRIYA_BOOKING);
  const month = await nextMonthDays(page);
  const day = month.days[month.days.length - 1 - who.booked];
  await page.getByRole('grid').locator(`button[value="${day}"]`).click();
  await page.getByRole('button', { name: TIME }).first().click();
  await page.getByRole('button', { name: 'Book Session' }).click();
  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/')[2];

  await as(page, PRIYA, '/teach');
  const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
  await upcoming.locator(`a[href="/sessions/${id}/cancel"]`).click();
  await expect(page.getByRole('heading', { name: 'Cancel this session?' })).toBeVisible();
  await page.getByLabel('Reason for your student (optional)').fill('I am away that week, sorry.');
  await page.getByRole('button', { name: 'Cancel session' }).click();
  await expect(page.getByRole('heading', { name: 'Session cancelled' })).toBeVisible();

  await as(page, who.email, '/dashboard');
  const item = page.getByRole('region', { name: 'Upcoming sessions' }).getByRole('listitem').filter({
    has: page.locator(`a[href="/sessions/${id}"]`),
  });
  await expect(item.getByText('Cancelled by Priya Nair')).toBeVisible();
  await expect(item.getByText('Reason: I am away that week, sorry.')).toBeVisible();
  await expect(item.getByRole('link', { name: /^(Cancel|Reschedule) / })).toHaveCount(0);
  await accessible(page);
  await screenshot(page, 'dashboard-cancelled-by-tutor', info.project.name);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('weekly hours refused by range, and time off added and removed', async ({ page }, info) => {
    const who = people[info.project.name];
    await as(page, PRIYA, '/teach/schedule');
    await page.getByLabel('Monday', { exact: true }).fill('17:00–21:00, 20:00–22:00');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await expect(page.getByRole('alert')).toHaveText('Monday 17:00–21:00 overlaps 20:00–22:00: join them into one range or move one.');
    await expect(page.getByLabel('Monday', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    // Nothing was saved.
    await expect(page.getByLabel('Monday', { exact: true })).toHaveValue('17:00–21:00');
    await screenshot(page, 'schedule-refused', info.project.name);

    await page.getByLabel('First day').fill(who.farDate);
    await page.getByLabel('From').fill('10:00');
    await page.getByLabel('Until').fill('12:00');
    await page.getByRole('button', { name: 'Add time off' }).click();
    await expect(page.getByRole('status')).toContainText('Time off added.');
    const timeOff = page.getByRole('region', { name: 'Time off' });
    const remove = timeOff.getByRole('button', { name: `Remove time off: ${longDate(who.farDate)}, only 10:00–12:00` });
    await expect(remove).toBeVisible();
    await remove.click();
    await expect(page.getByRole('status')).toContainText('Time off removed.');
    await expect(remove).toHaveCount(0);
  });
});
