// The payment step's glue to Stripe.js (README "Payments"): Stripe.js is a JavaScript API, so
// this small script, not the wasm, talks to it. It waits for a payment step on the page (the
// islands router patches pages in without running their scripts), loads Stripe.js, mounts the
// card field, pays through our `pay_session`, confirms 3-D Secure when the card asks, and
// reloads once the server knows the session is booked. Words for errors come from the server:
// a refusal is shown by reloading with its code, as a form posted without JavaScript is.
(() => {
  'use strict';
  // Loaded by the page and, after a navigation, by the wasm: set up once.
  if (window.paymentGlue) return;
  window.paymentGlue = true;
  const started = new WeakSet();

  const post = async (endpoint, fields) => {
    const response = await fetch(`/api/${endpoint}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields),
    });
    return { ok: response.ok, body: await response.json().catch(() => null) };
  };

  // An `AppError` such as "CardDeclined" as its URL code ("card_declined").
  const errorCode = (body) =>
    typeof body === 'string' ? body.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase()) : 'internal';

  const showRefusal = (body) => {
    const url = new URL(location.href);
    url.searchParams.set('__path', '/api/pay_session');
    url.searchParams.set('__err', errorCode(body));
    location.assign(url);
  };

  const loadStripe = (src) =>
    window.Stripe
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = src;
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        });

  const untilBooked = async (sessionId) => {
    for (let i = 0; i < 60; i += 1) {
      const answer = await post('load_session', { session_id: sessionId });
      if (answer.ok && !(answer.body && answer.body.state && answer.body.state.AwaitingPayment)) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  const countdown = (step) => {
    const clock = step.querySelector('.hold-countdown');
    const end = Date.parse(step.dataset.expires);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left`;
      if (left === 0) location.reload();
      else setTimeout(tick, 1000);
    };
    tick();
  };

  const setUp = async (step) => {
    started.add(step);
    countdown(step);
    const button = step.querySelector('button');
    const status = step.querySelector('.payment-status');
    const say = (text) => { status.textContent = text; };
    try {
      await loadStripe(step.dataset.js);
    } catch {
      say('Card payment could not be loaded. Reload the page to try again.');
      return;
    }
    const stripe = window.Stripe(step.dataset.key);
    const card = stripe.elements().create('card');
    card.mount(step.querySelector('.card-element'));
    button.disabled = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      say('Paying…');
      const { token, error } = await stripe.createToken(card);
      if (error || !token) {
        say((error && error.message) || 'Check your card details and try again.');
        button.disabled = false;
        return;
      }
      const paid = await post('pay_session', { session_id: step.dataset.session, token: token.id });
      if (!paid.ok) return showRefusal(paid.body);
      if (paid.body.authenticate) {
        const confirmed = await stripe.confirmCardPayment(paid.body.authenticate);
        if (confirmed.error) return showRefusal('CardDeclined');
      }
      say('Payment received. Booking your session…');
      await untilBooked(step.dataset.session);
      location.reload();
    });
  };

  const look = () => document.querySelectorAll('.payment-step[data-key]').forEach((step) => started.has(step) || setUp(step));
  new MutationObserver(look).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', look);
  look();
})();
