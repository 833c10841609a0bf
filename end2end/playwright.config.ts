import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download is not reachable from here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'off' },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 860 }, launchOptions } },
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions } },
  ],
  // A fresh, freshly seeded SQLite database for every run, on its own port.
  webServer: {
    command: `rm -rf target/e2e && exec ${process.env.SERVER_BIN ?? './target/release/session-booking'}`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/login`,
    env: {
      DATABASE_URL: 'sqlite://target/e2e/e2e.db?mode=rwc',
      BOOKING_SITE_ADDR: `127.0.0.1:${port}`,
      // The specs log the same demo students in many times a minute.
      BOOKING_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '100000',
      // No SMTP server: each message is an .eml file here (the specs read them).
      BOOKING_MAIL_DIR: 'target/e2e/mail',
      RUST_LOG: 'warn',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
