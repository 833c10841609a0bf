import { expect, PASSWORD, test, TIME } from './helpers';

// The server renders whole pages and every action is a plain form post, so the booking
// page's first step works before hydration and with JavaScript turned off.
test.use({ javaScriptEnabled: false });

test('without JavaScript: log in, choose Schedule Later, see the request on the dashboard', async ({ page }) => {
  await page.goto('/courses/2/book');
  await expect(page).toHaveURL('/login?next=/courses/2/book');
  await page.getByLabel('Email').fill('maya@student.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL('/courses/2/book');
  await expect(page.getByText('for Conversational Spanish')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Select Diego Ramírez' })).toBeVisible();

  await page.getByRole('button', { name: 'Schedule Later' }).click();
  await expect(page).toHaveURL('/courses/2/book/later');
  await expect(page.getByText('You can schedule anytime from your dashboard')).toBeVisible();
  await page.getByRole('link', { name: 'Continue to Dashboard' }).click();
  await expect(page.getByRole('region', { name: 'Waiting to schedule' }).getByText('Conversational Spanish')).toBeVisible();
});

test('without JavaScript: a wrong password shows the message', async ({ page }) => {
  await page.goto('/login?next=/dashboard');
  await page.getByLabel('Email').fill('lena@student.test');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

test('without JavaScript: choosing a Student-Teacher is a form post to the next step', async ({ page }) => {
  await page.goto('/login?next=/courses/1/book');
  await page.getByLabel('Email').fill('kenji@student.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Select Priya Nair' }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeVisible();
});

test('without JavaScript: book a session from the calendar to "Session Booked!"', async ({ page }, info) => {
  test.skip(info.project.name !== 'desktop', 'one booking per run: the projects share a server');
  await page.goto('/login?next=/book/6');
  await page.getByLabel('Email').fill('lena@student.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Select a date' })).toBeVisible();
  await page.getByRole('grid').getByRole('button', { name: /available$/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Select a time' })).toBeVisible();
  await page.getByRole('button', { name: TIME }).first().click();
  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeVisible();
  await page.getByRole('button', { name: 'Book Session' }).click();
  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible();
});
