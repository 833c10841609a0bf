import { expect, loginAt, PASSWORD, screenshot, test } from './helpers';

test('a booking page sends visitors to login and back after it', async ({ page }, info) => {
  await page.goto('/courses/1/book');
  await expect(page).toHaveURL('/login?next=/courses/1/book');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await screenshot(page, 'login', info.project.name);
  await page.getByLabel('Email').fill('maya@student.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL('/courses/1/book');
  await expect(page.getByText('for Algebra I')).toBeVisible();
});

test('wrong credentials get a clear message and no session', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('maya@student.test');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=\/dashboard/);
});

test('logging out ends the session', async ({ page }) => {
  await loginAt(page, '/dashboard', 'kenji@student.test');
  await expect(page.getByRole('heading', { name: 'Welcome back, Kenji' })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=\/dashboard/);
});
