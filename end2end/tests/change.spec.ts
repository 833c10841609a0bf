import { accessible, expect, hydrated, loginAt, PASSWORD, screenshot, test, TIME } from './helpers';
import type { Page } from '@playwright/test';

// The server runs with a free-cancel window of 20 days (playwright.config.ts): a session on the
// last days of next month is free to change, one in the next days is late.


/** In the date step: goes to next month and picks its `fromEnd`-th open day from the end, then
 * the first time of that day. Other specs book the first open times: these stay clear of them. */
async function pickLateInNextMonth(page: Page, fromEnd: number) {
  await page.getByRole('link', { name: 'Next month' }).click();
  // The islands router patches the next month in: count its days, not this month's.
  await expect(page).toHaveURL(/[?&]month=\d{4}-\d{2}/);
  const days = page.getByRole('grid').getByRole('button', { name: /available$/ });
  await expect(days.first()).toBeVisible();
  const count = await days.count();
  expect(count).toBeGreaterThan(fromEnd);
  await days.nth(count - 1 - fromEnd).click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await page.getByRole('button', { name: TIME }).first().click();
  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeVisible();
}

// Each project with its own student and Student-Teacher, apart from the other specs' counts.
const people = {
  desktop: { email: 'maya@student.test', st: 6, tutor: 'Diego Ramírez', course: 'Conversational Spanish' },
  phone: { email: 'kenji@student.test', st: 2, tutor: 'Tom Walker', course: 'Algebra I' },
};

test('book, reschedule to another day, then cancel from the dashboard', async ({ page }, info) => {
  const who = people[info.project.name as keyof typeof people];
  await loginAt(page, `/book/${who.st}`, who.email);
  await hydrated(page);
  await pickLateInNextMonth(page, 0);
  await page.getByRole('button', { name: 'Book Session' }).click();
  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
  const id = page.url().match(/\/sessions\/(\d+)\/booked/)![1];
  const bookedDate = await page.locator('dl.summary').getByText(/, 20\d\d$/).textContent();
  await expect(page.getByText(/^Free to cancel or reschedule until/)).toBeVisible();

  // Reschedule: the same wizard on the same Student-Teacher, with the current time shown.
  await page.getByRole('link', { name: 'Reschedule' }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'Rescheduling' })).toContainText(bookedDate!);
  await expect(page.getByRole('link', { name: 'Change Student-Teacher' })).toHaveCount(0);
  await screenshot(page, 'change-1-reschedule-date', info.project.name);
  await pickLateInNextMonth(page, 1);
  await expect(page.locator('.moving-from')).toContainText(bookedDate!);
  await accessible(page);
  await screenshot(page, 'change-2-reschedule-confirm', info.project.name);
  await page.getByRole('button', { name: 'Move Session' }).click();
  await expect(page.getByRole('heading', { name: 'Session moved' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/sessions/${id}\\?changed=moved$`));
  const movedDate = await page.locator('dl.summary').getByText(/, 20\d\d$/).textContent();
  expect(movedDate).not.toEqual(bookedDate);
  await accessible(page);
  await screenshot(page, 'change-3-moved', info.project.name);

  // Cancel from the dashboard: the policy first, then the cancel, and the list forgets it.
  await page.getByRole('link', { name: 'Back to Dashboard' }).click();
  const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
  await expect(upcoming.locator(`a[href="/sessions/${id}/cancel"]`)).toHaveAccessibleName(`Cancel ${who.course} with ${who.tutor}`);
  await screenshot(page, 'change-4-dashboard', info.project.name);
  await upcoming.locator(`a[href="/sessions/${id}/cancel"]`).click();
  await expect(page.getByRole('heading', { name: 'Cancel this session?' })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Free to cancel or reschedule until');
  await page.getByLabel('Reason for your Student-Teacher (optional)').fill('Exams moved.');
  await accessible(page);
  await screenshot(page, 'change-5-cancel', info.project.name);
  await page.getByRole('button', { name: 'Cancel session' }).click();
  await expect(page.getByRole('heading', { name: 'Session cancelled' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('You cancelled this session.');
  await expect(page.getByRole('status')).toContainText('Reason: Exams moved.');
  await expect(page.getByRole('link', { name: 'Reschedule' })).toHaveCount(0);
  await screenshot(page, 'change-6-cancelled', info.project.name);
  await page.getByRole('link', { name: 'Back to Dashboard' }).click();
  await expect(page.getByRole('region', { name: 'Upcoming sessions' }).locator(`a[href="/sessions/${id}/cancel"]`)).toHaveCount(0);
});

test('a Student-Teacher lands on their sessions and sees whom they teach', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'one tutor view is enough');
  await page.goto('/login');
  await page.getByLabel('Email').fill('tom@tutor.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL('/teach');
  await expect(page.getByRole('heading', { name: 'Welcome back, Tom' })).toBeVisible();
  const upcoming = page.getByRole('region', { name: 'Upcoming sessions' });
  await expect(upcoming.getByRole('link', { name: /^Cancel Algebra I with / }).first()).toBeVisible();
  await accessible(page);
  await screenshot(page, 'teach', info.project.name);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a late move makes the cancel count the session as used, and the page says so first', async ({ page }, info) => {
    test.skip(info.project.name !== 'phone', 'the desktop project books as Lena without JavaScript already');
    await loginAt(page, '/book/5', 'lena@student.test');
    // Sofia's next open day, within the late window; its last time, which other specs leave.
    await page.getByRole('button', { name: /^Next Available/ }).click();
    await page.getByRole('button', { name: TIME }).last().click();
    await page.getByRole('button', { name: 'Book Session' }).click();
    await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
    await expect(page.getByText(/if you cancel now, this session counts as used/)).toBeVisible();

    await page.getByRole('link', { name: 'Reschedule' }).click();
    await pickLateInNextMonth(page, 0);
    await page.getByRole('button', { name: 'Move Session' }).click();
    await expect(page.getByRole('heading', { name: 'Session moved' })).toBeVisible();
    // Moved far away, but moved late: its cancel still counts.
    await page.getByRole('link', { name: 'Cancel session' }).click();
    await expect(page.getByRole('note')).toContainText('so cancelling it counts it as used');
    await screenshot(page, 'change-late-warning', info.project.name);
    await page.getByRole('button', { name: 'Cancel session' }).click();
    await expect(page.getByRole('heading', { name: 'Session cancelled' })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('It was cancelled late, so it counts as one of your sessions.');
  });
});
