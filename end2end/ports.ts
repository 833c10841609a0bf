// The ports and secrets the end-to-end servers share with the specs.
export const port = Number(process.env.E2E_PORT ?? 3100);
export const smtpPort = port + 25;
// localstripe (scripts/setup.sh --test): a local server that speaks Stripe's API.
export const stripePort = port + 42;
export const STRIPE_URL = `http://127.0.0.1:${stripePort}`;
export const STRIPE_WEBHOOK_SECRET = 'whsec_e2e';
