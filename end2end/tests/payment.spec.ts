import type { APIRequestContext, Page } from '@playwright/test';

import { STRIPE_URL, STRIPE_WEBHOOK_SECRET } from '../ports';
import { accessible, expect, hydrated, loginAt, screenshot, test, TIME } from './helpers';

// Paying for a session past those a course includes, through localstripe and its fake
// Stripe.js. These run after every other spec (playwright.config.ts): they use up Lena's
// included Conversational Spanish sessions, with Diego (st 6, every morning).
const DIEGO = 6;

test.beforeAll(async ({ request, baseURL }) => {
  // localstripe's webhooks reach the app, as Stripe's would.
  const registered = await request.post(`${STRIPE_URL}/_config/webhooks/e2e`, {
    form: { url: `${baseURL}/webhooks/stripe`, secret: STRIPE_WEBHOOK_SECRET },
  });
  expect(registered.ok()).toBeTruthy();
});

async function api(request: APIRequestContext, baseURL: string, endpoint: string, form: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, { form, headers: { Origin: baseURL, Accept: 'application/json' } });
  return { status: response.status(), body: await response.json() };
}

/** Books Lena's Spanish sessions through the API until the next one needs payment; that one is
 * left to its hold, which ends by itself. */
async function useUpIncluded(page: Page, baseURL: string) {
  const next = new Date();
  next.setUTCMonth(next.getUTCMonth() + 1);
  const month = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
  const days = (await api(page.request, baseURL, 'load_month_days', { st_id: String(DIEGO), month })).body.days as string[];
  for (let attempt = 0; attempt < 14; attempt += 1) {
    const date = days[attempt % days.length];
    // Each time is [start, start_label, end_label, bookable].
    const times = (await api(page.request, baseURL, 'load_day_times', { st_id: String(DIEGO), date })).body.slots as [string, string, string, boolean][];
    const start = times.find(([, , , bookable]) => bookable)![0];
    const booked = await api(page.request, baseURL, 'book_session', { st_id: String(DIEGO), start, idempotency_key: `use-up-${Date.now()}-${attempt}` });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    if (booked.body.status === 'pending_payment') return;
  }
  throw new Error('the included sessions never ran out');
}

/** From the date step to the payment step, by the page's own controls. */
async function toPaymentStep(page: Page, project: string) {
  await page.goto(`/book/${DIEGO}`);
  await hydrated(page);
  await page.getByRole('button', { name: /^Next Available/ }).click();
  await page.getByRole('button', { name: TIME }).first().click();
  await expect(page.getByRole('heading', { name: 'Confirm your session' })).toBeVisible();
  await expect(page.locator('.cost')).toContainText('$15.00: you have used the 12 sessions your course includes.');
  await accessible(page);
  await screenshot(page, 'pay-1-confirm', project);
  await page.getByRole('button', { name: 'Continue to Payment' }).click();
  await expect(page.getByRole('heading', { name: 'Pay to book your session' })).toBeVisible();
  await expect(page.getByText(/This time is held for you until/)).toBeVisible();
  await expect(page.locator('.hold-countdown')).toHaveText(/^1[45]:\d\d left$/);
  // localstripe's fake card field, mounted by /payment.js.
  await expect(page.locator('.card-element input')).toHaveCount(5);
}

async function fillCard(page: Page, number: string) {
  const field = (name: string) => page.locator(`.card-element input[placeholder="${name}"]`);
  await field('number').fill(number);
  await field('exp_month').fill('12');
  await field('exp_year').fill('30');
  await field('cvc').fill('123');
  await field('postal_code').fill('10115');
}

test('a session past those included is paid by card, then booked', async ({ page, baseURL }, info) => {
  await loginAt(page, '/dashboard', 'lena@student.test');
  await useUpIncluded(page, baseURL!);
  await page.reload();
  await expect(page.getByText('0 of 12 included sessions left · $15.00 per session')).toBeVisible();
  await toPaymentStep(page, info.project.name);
  // localstripe's fake card field has unlabelled inputs; Stripe's real one is labelled.
  await accessible(page, '.card-element');
  await screenshot(page, 'pay-2-card', info.project.name);
  if (info.project.name === 'payment-desktop') {
    await fillCard(page, '4242424242424242');
    await page.getByRole('button', { name: 'Pay $15.00' }).click();
  } else {
    // A card that asks for 3-D Secure: the fake Stripe.js asks, and the webhook books it.
    await fillCard(page, '4000002500003155');
    await page.getByRole('button', { name: 'Pay $15.00' }).click();
    await page.getByRole('button', { name: 'Complete authentication' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Session Booked!' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('link', { name: 'Google Calendar' })).toBeVisible();
  await screenshot(page, 'pay-3-booked', info.project.name);
});

test('a declined card books nothing and says so', async ({ page, baseURL }, info) => {
  await loginAt(page, '/dashboard', 'lena@student.test');
  await useUpIncluded(page, baseURL!);
  await toPaymentStep(page, info.project.name);
  await fillCard(page, '4000000000000341');
  await page.getByRole('button', { name: 'Pay $15.00' }).click();
  await expect(page.getByRole('heading', { name: 'Session not booked' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined, so the session is not booked. Choose a time again and try another card.');
  await accessible(page);
  await screenshot(page, 'pay-4-declined', info.project.name);
});
