import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

/** Playwright's `test`, failing any test whose page throws (a hydration error, a panic) or
 * whose Content-Security-Policy blocks anything (the console reports each refusal). */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => {
      // The islands router cross-fades pages with a view transition; on a phone, scrolling to
      // an anchor or to focus while one runs moves the browser bar and the browser aborts it
      // (the new page is in place either way). Only the cross-fade is lost, not the page.
      if (/^Transition was aborted because of invalid state\. Viewport size changed/.test(error.message)) return;
      errors.push(error.message);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    await use(page);
    expect(errors, 'errors thrown in the page').toEqual([]);
  },
});
export { expect };

/** Waits until the wasm app has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

export const PASSWORD = 'booking-demo';

/** A start time's button, by its visible text: "6:30 AM to 7:30 AM". */
export const TIME = /^\d{1,2}:\d{2} [AP]M to \d{1,2}:\d{2} [AP]M$/;

/** Logs in through the login page, arriving at `path` (which sends us to login first). */
export async function loginAt(page: Page, path: string, email: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  // The whole path and query: `/login?next=/dashboard` must not pass for `/dashboard`.
  await expect(page).toHaveURL((url) => url.pathname + url.search === path);
}

/** Opens a course's booking page from the dashboard, as a student would. */
export async function openBookingFromDashboard(page: Page, courseTitle: string) {
  await page.getByRole('link', { name: `Book Session for ${courseTitle}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Book a Session' })).toBeVisible();
  await expect(page.getByText(`for ${courseTitle}`)).toBeVisible();
}

export async function screenshot(page: Page, name: string, project: string) {
  // The islands router cross-fades pages (view transitions): wait for the new page to settle.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.screenshot({ path: `screenshots/${project}-${name}.png`, fullPage: true });
}

/** No serious or critical axe-core violation on the page as it is now, outside `exclude` (a
 * third party's markup, such as a fake Stripe card field). */
export async function accessible(page: Page, exclude?: string) {
  const axe = new AxeBuilder({ page });
  if (exclude) axe.exclude(exclude);
  const { violations } = await axe.analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}
