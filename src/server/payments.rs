//! Paying for a session beyond those a course includes (docs/booking-contract.md §8).
//!
//! A session that needs payment is committed as `pending_payment`, holding its time, by the
//! booking transaction; this module then opens its PaymentIntent, takes the card, and moves the
//! session on when Stripe says how the payment went. Every outcome, whether it comes from a
//! webhook, from the answer to our own confirm or from the worker's reconciliation, goes
//! through [`settle`], one transaction that moves a session only forward:
//! - a success makes a pending session `scheduled` (and only then owes its emails), or an
//!   expired one whose time is still free; if the time was given to someone else meanwhile,
//!   the payment is refunded at once and the student told;
//! - a failure makes a pending session `expired`, releasing its time, and sends nothing;
//! - anything else (a success for a scheduled session, a failure after a success) changes
//!   nothing, so repeats and events out of order are harmless. Each webhook event's id is
//!   written in the same transaction, so a repeat of it is not applied at all.
use chrono::{DateTime, Utc};
use sea_orm::{sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::{
    analytics::Event,
    availability::{check_start, Proposal},
    change_rules::{participant, students_own},
    db,
    live::Change,
    outbox,
    queries::{find_course, student_teacher_of},
    state::AppState,
    stripe::{self, PaymentIntent, SignatureError, StripeError},
};
use crate::{
    dto::{live::ChangeKind, wizard::PaymentDue, StId},
    entities::{outbox::MessageKind, session, stripe_event, user, SessionStatus},
    error::AppError,
};

/// How Stripe says a payment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
}

/// What [`settle`] did to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Scheduled,
    Expired,
    /// Paid after its time was taken: refunded.
    Refunded,
    /// Nothing to do: the session had moved on already, or the event was seen before.
    Unchanged,
}

fn key(s: &session::Model, what: &str) -> String {
    format!("session-{}-{what}", s.id)
}

/// The PaymentIntent of a session that has just been committed awaiting payment (or of one
/// whose request is repeated): created once, whatever the retries, by its idempotency key. If
/// Stripe cannot be asked, the session is released and nothing is booked.
pub async fn payment_due(state: &AppState, s: &session::Model, now: DateTime<Utc>) -> Result<PaymentDue, AppError> {
    let stripe = state.stripe.as_ref().ok_or(AppError::PaymentUnavailable)?;
    let (Some(amount), Some(currency), Some(expires_at)) = (s.amount_cents, s.currency.clone(), s.hold_expires_at) else {
        return Err(AppError::Internal);
    };
    let intent = match &s.payment_intent_id {
        Some(id) => stripe.payment_intent(id).await,
        None => stripe.create_payment_intent(amount, &currency, s.id, &key(s, "intent")).await,
    };
    let intent = match intent {
        Ok(intent) => intent,
        Err(error) => {
            tracing::error!(session_id = s.id, %error, "cannot open the session's payment; releasing its time");
            expire(&state.db, s.id).await?;
            return Err(AppError::PaymentUnavailable);
        }
    };
    if s.payment_intent_id.is_none() {
        session::Entity::update_many()
            .col_expr(session::Column::PaymentIntentId, Expr::value(intent.id.clone()))
            .filter(session::Column::Id.eq(s.id))
            .filter(session::Column::PaymentIntentId.is_null())
            .exec(&state.db)
            .await?;
        state.analytics.record(Some(s.student_id), Event::PaymentStarted { session_id: s.id, amount }, now);
    }
    Ok(PaymentDue {
        client_secret: intent.client_secret.unwrap_or_default(),
        amount,
        currency,
        expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// What paying answered: paid (the page waits for the session to be scheduled), or the card
/// asks the student to confirm in the browser first (3-D Secure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    Done,
    Authenticate { client_secret: String },
}

/// Pays the student's session with the card a Stripe.js token stands for.
pub async fn pay(state: &AppState, student: &user::Model, session_id: i32, token: &str, now: DateTime<Utc>) -> Result<Paid, AppError> {
    let stripe = state.stripe.as_ref().ok_or(AppError::PaymentUnavailable)?;
    let token = token.trim();
    if token.is_empty() || token.len() > 255 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(AppError::invalid("token", "Enter your card details."));
    }
    let s = students_own(participant(&state.db, student, session_id).await?)?;
    match s.status {
        SessionStatus::Scheduled => return Ok(Paid::Done),
        SessionStatus::PendingPayment if s.hold_expires_at.is_some_and(|end| end > now) => {}
        SessionStatus::PendingPayment | SessionStatus::Expired => return Err(AppError::HoldExpired),
        SessionStatus::Cancelled => return Err(AppError::AlreadyCancelled),
    }
    let Some(intent_id) = s.payment_intent_id.clone() else { return Err(AppError::PaymentUnavailable) };
    match stripe.pay_with_token(&intent_id, token, &key(&s, &format!("pay-{token}"))).await {
        Ok(intent) if intent.requires_action() => Ok(Paid::Authenticate { client_secret: intent.client_secret.unwrap_or_default() }),
        Ok(intent) => {
            // Our own call's answer is as trustworthy as a webhook: no need to wait for one.
            if intent.succeeded() {
                settle(state, None, &intent, Outcome::Succeeded, now).await?;
            }
            Ok(Paid::Done)
        }
        Err(StripeError::Declined(reason)) => {
            tracing::info!(session_id = s.id, reason, "card declined");
            if let Ok(intent) = stripe.payment_intent(&intent_id).await {
                settle(state, None, &intent, Outcome::Failed, now).await?;
            }
            Err(AppError::CardDeclined)
        }
        Err(error) => {
            tracing::error!(session_id = s.id, %error, "paying failed");
            Err(AppError::PaymentUnavailable)
        }
    }
}

/// Why a webhook was refused: Stripe is answered 400 and retries.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRefusal {
    #[error("this server has no webhook secret")]
    NotConfigured,
    #[error("Stripe-Signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("not an event: {0}")]
    Unreadable(String),
    #[error("could not apply the event")]
    Failed,
}

/// A webhook's raw body with its `Stripe-Signature`: checked, then applied once.
pub async fn receive_webhook(
    state: &AppState,
    signature: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Settled, WebhookRefusal> {
    let secret = state.settings.payments.stripe_webhook_secret.as_deref().ok_or(WebhookRefusal::NotConfigured)?;
    stripe::verify_signature(signature.unwrap_or_default(), body, secret, now)?;
    let event: stripe::Event = serde_json::from_slice(body).map_err(|e| WebhookRefusal::Unreadable(e.to_string()))?;
    let outcome = match event.kind.as_str() {
        "payment_intent.succeeded" => Outcome::Succeeded,
        "payment_intent.payment_failed" => Outcome::Failed,
        // Not ours to act on; acknowledged so Stripe does not retry it.
        _ => return Ok(Settled::Unchanged),
    };
    let intent: PaymentIntent = serde_json::from_value(event.data.object).map_err(|e| WebhookRefusal::Unreadable(e.to_string()))?;
    settle(state, Some(&event.id), &intent, outcome, now).await.map_err(|_| WebhookRefusal::Failed)
}

/// Applies one outcome for the session `intent` pays for, in one transaction (see the module
/// comment); `event_id`, for a webhook, is recorded there so it is applied once.
pub async fn settle(
    state: &AppState,
    event_id: Option<&str>,
    intent: &PaymentIntent,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<Settled, AppError> {
    let txn = db::begin_write(&state.db).await?;
    if let Some(id) = event_id {
        if stripe_event::Entity::find_by_id(id.to_owned()).one(&txn).await?.is_some() {
            return Ok(Settled::Unchanged);
        }
        let kind = match outcome {
            Outcome::Succeeded => "payment_intent.succeeded",
            Outcome::Failed => "payment_intent.payment_failed",
        };
        stripe_event::ActiveModel { id: Set(id.to_owned()), kind: Set(kind.to_owned()), processed_at: Set(now) }.insert(&txn).await?;
    }
    // Found by the intent's own id: an event for an intent we did not open changes nothing.
    let Some(found) = session::Entity::find().filter(session::Column::PaymentIntentId.eq(intent.id.clone())).one(&txn).await? else {
        txn.commit().await?;
        return Ok(Settled::Unchanged);
    };
    db::lock_people(&txn, [found.teacher_id, found.student_id]).await?;
    // Read again under the lock: another outcome may have moved it while this one waited.
    let s = session::Entity::find_by_id(found.id).one(&txn).await?.ok_or(AppError::Internal)?;
    let hold_live = s.hold_expires_at.is_some_and(|end| end > now);
    let settled = match (outcome, s.status) {
        (Outcome::Succeeded, SessionStatus::PendingPayment) if hold_live => schedule(state, &txn, &s, now).await?,
        // Already refunded: the outcome was applied before.
        (Outcome::Succeeded, SessionStatus::Expired) if refund_owed(&txn, &s).await? => Settled::Unchanged,
        (Outcome::Succeeded, SessionStatus::PendingPayment | SessionStatus::Expired) => {
            if time_still_free(state, &txn, &s, now).await? {
                schedule(state, &txn, &s, now).await?
            } else {
                advance(&txn, &s, SessionStatus::Expired).await?;
                outbox::enqueue_refund(&txn, &s, true, now).await?;
                Settled::Refunded
            }
        }
        (Outcome::Failed, SessionStatus::PendingPayment) => {
            advance(&txn, &s, SessionStatus::Expired).await?;
            Settled::Expired
        }
        _ => Settled::Unchanged,
    };
    txn.commit().await?;
    let analytics = &state.analytics;
    match settled {
        Settled::Scheduled => {
            analytics.record(Some(s.student_id), Event::PaymentSucceeded { session_id: s.id }, now);
            analytics.record(Some(s.student_id), Event::BookingSuccess { session_id: s.id }, now);
        }
        Settled::Expired => {
            let reason = if outcome == Outcome::Failed { "declined" } else { "expired" };
            analytics.record(Some(s.student_id), Event::PaymentFailed { session_id: s.id, reason: reason.into() }, now);
        }
        Settled::Refunded => {
            analytics.record(Some(s.student_id), Event::PaymentSucceeded { session_id: s.id }, now);
            state.payments.wake();
        }
        Settled::Unchanged => {}
    }
    if settled != Settled::Unchanged {
        state.mail.wake();
    }
    if settled == Settled::Expired {
        let change = Change { kind: ChangeKind::Freed, teacher_id: s.teacher_id, student_id: Some(s.student_id) };
        state.live.publish(&state.db, change).await;
    }
    Ok(settled)
}

async fn refund_owed(txn: &impl ConnectionTrait, s: &session::Model) -> Result<bool, AppError> {
    let refund = outbox::find_refund(txn, s.id).await?;
    Ok(refund.is_some())
}

/// Whether the session's time could be booked now as it was, by the same engine.
async fn time_still_free(state: &AppState, txn: &impl ConnectionTrait, s: &session::Model, now: DateTime<Utc>) -> Result<bool, AppError> {
    let Some(st) = student_teacher_of(txn, s.teacher_id, s.course_id).await? else { return Ok(false) };
    let student = user::Entity::find_by_id(s.student_id).one(txn).await?.ok_or(AppError::Internal)?;
    let course = find_course(txn, s.course_id).await?;
    let proposal = Proposal { st_id: StId(st.id), start: s.start_at, moving: Some(s.id) };
    match check_start(txn, &state.settings.booking, &student, &course, &proposal, now).await {
        Ok(_) => Ok(true),
        Err(AppError::SlotUnavailable | AppError::StudentConflict | AppError::NotFound(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The paid session is booked: scheduled, and owing its confirmations and reminders now.
async fn schedule(state: &AppState, txn: &impl ConnectionTrait, s: &session::Model, now: DateTime<Utc>) -> Result<Settled, AppError> {
    let scheduled = advance(txn, s, SessionStatus::Scheduled).await?;
    outbox::enqueue(txn, &scheduled, &state.settings.notifications.reminder_minutes, now).await?;
    Ok(Settled::Scheduled)
}

/// Moves the session from the status it was read with to `to`; the hold ends either way.
async fn advance(txn: &impl ConnectionTrait, s: &session::Model, to: SessionStatus) -> Result<session::Model, AppError> {
    let moved = session::Entity::update_many()
        .col_expr(session::Column::Status, Expr::value(to))
        .col_expr(session::Column::HoldExpiresAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::Status.eq(s.status))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Internal);
    }
    Ok(session::Model { status: to, hold_expires_at: None, ..s.clone() })
}

/// Releases a session still awaiting payment (its intent could not be opened).
async fn expire(db: &impl ConnectionTrait, session_id: i32) -> Result<(), AppError> {
    session::Entity::update_many()
        .col_expr(session::Column::Status, Expr::value(SessionStatus::Expired))
        .col_expr(session::Column::HoldExpiresAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::Status.eq(SessionStatus::PendingPayment))
        .exec(db)
        .await?;
    Ok(())
}

/// A pending session whose webhook has not come this long after its booking is asked about.
const RECONCILE_AFTER: chrono::Duration = chrono::Duration::minutes(1);
/// Sessions the worker looks at per round.
const BATCH: u64 = 50;

/// One round of the payments worker at `now`: every pending session whose hold has ended, or
/// whose webhook is late, is reconciled with Stripe (paid: settled as a success; else, once its
/// hold has ended, its intent cancelled and the session expired); then due refunds are made.
pub async fn sweep(state: &AppState, now: DateTime<Utc>) -> Result<(), AppError> {
    let pending = session::Entity::find()
        .filter(session::Column::Status.eq(SessionStatus::PendingPayment))
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::HoldExpiresAt.lte(now))
                .add(session::Column::CreatedAt.lte(now - RECONCILE_AFTER)),
        )
        .order_by_asc(session::Column::HoldExpiresAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    for s in pending {
        let hold_ended = s.hold_expires_at.is_none_or(|end| end <= now);
        let (Some(stripe), Some(intent_id)) = (state.stripe.as_ref(), s.payment_intent_id.as_deref()) else {
            if hold_ended {
                expire(&state.db, s.id).await?;
            }
            continue;
        };
        let mut intent = match stripe.payment_intent(intent_id).await {
            Ok(intent) => intent,
            Err(error) => {
                tracing::warn!(session_id = s.id, %error, "cannot reconcile a pending payment; will retry");
                continue;
            }
        };
        if !intent.succeeded() && hold_ended {
            // No payment may start after the hold; one that won the race is settled below.
            intent = match stripe.cancel_payment_intent(intent_id, &key(&s, "cancel")).await {
                Ok(cancelled) => cancelled,
                Err(_) => stripe.payment_intent(intent_id).await.unwrap_or(intent),
            };
        }
        if intent.succeeded() {
            settle(state, None, &intent, Outcome::Succeeded, now).await?;
        } else if hold_ended {
            settle(state, None, &intent, Outcome::Failed, now).await?;
        }
    }
    refund_due(state, now).await
}

/// Makes each due refund once: claimed like an email, and keyed by its session, so a retry
/// after a crash or a second worker asks Stripe for the same refund, which it makes once.
async fn refund_due(state: &AppState, now: DateTime<Utc>) -> Result<(), AppError> {
    let Some(stripe) = state.stripe.as_ref() else { return Ok(()) };
    for row in outbox::due(&state.db, outbox::Worker::Payments, now).await? {
        if row.kind != MessageKind::Refund || !outbox::claim(&state.db, &row, now).await? {
            continue;
        }
        let s = session::Entity::find_by_id(row.session_id).one(&state.db).await?;
        let Some((s, intent_id)) = s.and_then(|s| s.payment_intent_id.clone().map(|id| (s, id))) else {
            outbox::mark_sent(&state.db, row.id, now).await?;
            continue;
        };
        match stripe.refund(&intent_id, &key(&s, "refund")).await {
            Ok(refund) => {
                outbox::mark_sent(&state.db, row.id, now).await?;
                tracing::info!(session_id = s.id, refund = refund.id, "refunded");
                state.analytics.record(Some(s.student_id), Event::RefundIssued { session_id: s.id, amount: refund.amount }, now);
            }
            Err(error) => outbox::mark_failed(&state.db, &row, &error.to_string(), now).await?,
        }
    }
    Ok(())
}

/// How often the worker looks for ended holds and late webhooks.
const POLL: std::time::Duration = std::time::Duration::from_secs(15);

/// Starts the payments worker for `state` on the current runtime; `state.payments` wakes it
/// early when a refund is due.
pub fn start_worker(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(error) = sweep(&state, Utc::now()).await {
                tracing::warn!(%error, "payments sweep failed; will retry");
            }
            tokio::select! {
                () = state.payments.woken() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    });
}
