import { defineConfig, devices } from '@playwright/test';
import { port, smtpPort, stripePort, STRIPE_URL, STRIPE_WEBHOOK_SECRET } from './ports';

// Debian's Chromium: Playwright's own browser download is not reachable from here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

const desktop = { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 860 } };

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'off' },
  projects: [
    { name: 'desktop', testIgnore: /(payment|live)\.spec/, use: { ...desktop, launchOptions } },
    { name: 'phone', testIgnore: /(payment|live)\.spec/, use: { ...devices['Pixel 7'], launchOptions } },
    // A hold changes what every other student is offered: the live specs run after the rest.
    { name: 'live', testMatch: /live\.spec/, dependencies: ['desktop', 'phone'], use: { ...desktop, launchOptions } },
    // Paying uses up a student's included sessions, which other specs count on: it runs last.
    { name: 'payment-desktop', testMatch: /payment\.spec/, dependencies: ['desktop', 'phone'], use: { ...desktop, launchOptions } },
    { name: 'payment-phone', testMatch: /payment\.spec/, dependencies: ['payment-desktop'], use: { ...devices['Pixel 7'], launchOptions } },
  ],
  webServer: [{
    command: `exec .tools/venv/bin/localstripe --port ${stripePort} --from-scratch`,
    cwd: '..',
    port: stripePort,
    // Its access log is one line per request.
    stderr: 'ignore',
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    // A real SMTP server (aiosmtpd, from scripts/setup.sh --test) keeping what it receives in
    // a Maildir that the specs read.
    command: `rm -rf target/e2e-smtp && mkdir -p target/e2e-smtp && exec .tools/venv/bin/python -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox target/e2e-smtp/box`,
    cwd: '..',
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    // A fresh, freshly seeded SQLite database for every run, on its own port.
    command: `rm -rf target/e2e && exec ${process.env.SERVER_BIN ?? './target/release/session-booking'}`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/login`,
    env: {
      DATABASE_URL: 'sqlite://target/e2e/e2e.db?mode=rwc',
      BOOKING_SITE_ADDR: `127.0.0.1:${port}`,
      // The specs log the same demo students in many times a minute.
      BOOKING_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '100000',
      BOOKING_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      // 20 days: a session at the end of next month is free to change, one this week late.
      BOOKING_FREE_CANCEL_HOURS: '480',
      // The specs book many sessions for the same few students.
      BOOKING_MAX_UPCOMING_SESSIONS: '1000',
      BOOKING_STRIPE_SECRET_KEY: 'sk_test_e2e',
      BOOKING_STRIPE_PUBLISHABLE_KEY: 'pk_test_e2e',
      BOOKING_STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET,
      BOOKING_STRIPE_API_BASE: STRIPE_URL,
      BOOKING_STRIPE_JS_URL: `${STRIPE_URL}/js.stripe.com/v3/`,
      RUST_LOG: 'warn',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  }],
});
