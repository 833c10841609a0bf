import { expect, hydrated, loginAt, openBookingFromDashboard, screenshot, test } from './helpers';

test('an enrolled student sees the course’s Student-Teachers and picks one', async ({ page }, info) => {
  await loginAt(page, '/dashboard', 'maya@student.test');
  await expect(page.getByRole('heading', { name: 'Welcome back, Maya' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Upcoming sessions' })).toContainText('Tom Walker');
  await screenshot(page, 'dashboard', info.project.name);
  await openBookingFromDashboard(page, 'Algebra I');

  const cards = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Select / }) });
  await expect(cards).toHaveCount(4);
  for (const name of ['Priya Nair', 'Tom Walker', 'Aarav Shrestha', 'Sofia Alves']) {
    await expect(page.getByRole('button', { name: `Select ${name}` })).toBeVisible();
  }
  await expect(cards.first()).toContainText('42 students taught');
  await expect(cards.first()).toContainText('4.9');
  await expect(page.getByRole('list', { name: 'Booking steps' }).locator('[aria-current="step"]')).toContainText('Student-Teacher');
  await screenshot(page, 'choose-teacher', info.project.name);

  await hydrated(page);
  await page.getByRole('button', { name: 'Select Tom Walker' }).click();
  await expect(page).toHaveURL(/\/courses\/\d+\/book\?st=\d+$/);
  // Client-side: the step changes in place and focus follows it to the new heading.
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeFocused();
  await expect(page.getByRole('list', { name: 'Booking steps' }).locator('[aria-current="step"]')).toContainText('Date');
  await screenshot(page, 'date-step', info.project.name);

  // The choice is in the URL: back returns to step 1.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Choose a Student-Teacher' })).toBeFocused();
});

test('a Student-Teacher link from the course page pre-selects them', async ({ page }) => {
  await loginAt(page, '/dashboard', 'maya@student.test');
  await page.getByRole('link', { name: 'Algebra I', exact: true }).click();
  await page.getByRole('link', { name: 'Book with Sofia Alves' }).click();
  await expect(page).toHaveURL(/\/book\/\d+$/);
  await expect(page.getByText('for Algebra I')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sofia Alves' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Choose a Student-Teacher' })).toHaveCount(0);
});

test('a course whose Student-Teachers are all inactive says so', async ({ page }, info) => {
  await loginAt(page, '/dashboard', 'kenji@student.test');
  await openBookingFromDashboard(page, 'Intro to Python');
  await expect(page.getByText('No Student-Teachers available. Try later.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Select / })).toHaveCount(0);
  await screenshot(page, 'no-teachers', info.project.name);
});

test('a student not enrolled is told to enroll, with a link to do it', async ({ page }, info) => {
  await loginAt(page, '/courses/1/book', 'lena@student.test');
  await expect(page.getByRole('alert')).toContainText('You must be enrolled to book.');
  await screenshot(page, 'not-enrolled', info.project.name);
  await page.getByRole('link', { name: 'Enroll now' }).click();
  await expect(page).toHaveURL('/courses/1');
  await expect(page.getByRole('button', { name: 'Enroll in this course' })).toBeVisible();
});

test('Schedule Later records a request that the dashboard lists', async ({ page }, info) => {
  await loginAt(page, '/dashboard', 'maya@student.test');
  await openBookingFromDashboard(page, 'Algebra I');
  await page.getByRole('button', { name: 'Schedule Later' }).click();
  await expect(page).toHaveURL(/\/courses\/\d+\/book\/later$/);
  await expect(page.getByRole('heading', { name: 'We’ll notify you when you’re ready to schedule'.replace(/’/g, "'") })).toBeVisible();
  await expect(page.getByText('You can schedule anytime from your dashboard')).toBeVisible();
  await screenshot(page, 'schedule-later', info.project.name);
  await page.getByRole('link', { name: 'Continue to Dashboard' }).click();
  await expect(page).toHaveURL('/dashboard');
  const waiting = page.getByRole('region', { name: 'Waiting to schedule' });
  await expect(waiting.getByText('Algebra I')).toBeVisible();
});
