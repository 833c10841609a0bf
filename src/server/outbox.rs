//! The messages a booking (or a change to it) owes, kept in the database beside it. They are written in the
//! booking's transaction, so a booking never exists without its emails nor an email without
//! its booking; the mail worker (`server::mail`) claims and sends them. A claim is a
//! conditional update, so with several app processes one worker sends each message; a worker
//! that dies holding a claim loses it when the claim expires, and another sends the message.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeSet;

use crate::entities::{
    outbox::{self, MessageKind},
    session, ChangeKind, SessionStatus,
};

/// How long a worker owns a message it claimed: longer than an SMTP send may take.
const CLAIM: Duration = Duration::minutes(2);
/// Messages a worker claims per round.
const BATCH: u64 = 20;
/// Tries before a message is given up as failed (about ten hours of backoff): a message that
/// can never be sent (an address the server refuses) must not be retried forever.
pub const MAX_ATTEMPTS: i32 = 25;

/// When each reminder is due: `lead` minutes before `start`, or now if that has passed (once:
/// each lead time is one row).
pub fn reminder_schedule(start: DateTime<Utc>, now: DateTime<Utc>, leads: &[u32]) -> Vec<(i32, DateTime<Utc>)> {
    let leads: BTreeSet<u32> = leads.iter().copied().collect();
    leads.into_iter().rev().map(|lead| (lead as i32, std::cmp::max(start - Duration::minutes(lead.into()), now))).collect()
}

/// The wait before trying a failed message again: 15 s, doubling, at most 30 minutes.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 7) as u32;
    Duration::seconds(15 * 2_i64.pow(doublings)).min(Duration::minutes(30))
}

/// The confirmations to both people and, if asked, the student's reminders.
pub async fn enqueue(txn: &impl ConnectionTrait, booked: &session::Model, reminder_leads: &[u32], now: DateTime<Utc>) -> Result<(), DbErr> {
    let mut messages = vec![(MessageKind::StudentConfirmation, 0, now), (MessageKind::TutorConfirmation, 0, now)];
    messages.extend(reminders(booked, reminder_leads, now));
    insert(txn, booked, messages, now).await
}

/// What a change owes: its message to both people; the reminders of the old time are dropped
/// and, for a session that still takes place, planned again for its new time.
pub async fn enqueue_change(
    txn: &impl ConnectionTrait,
    changed: &session::Model,
    change: ChangeKind,
    reminder_leads: &[u32],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::Entity::delete_many()
        .filter(outbox::Column::SessionId.eq(changed.id))
        .filter(outbox::Column::Kind.eq(MessageKind::Reminder))
        .filter(outbox::Column::SentAt.is_null())
        .exec(txn)
        .await?;
    let mut messages = match change {
        ChangeKind::Rescheduled => vec![(MessageKind::StudentRescheduled, 0, now), (MessageKind::TutorRescheduled, 0, now)],
        ChangeKind::Cancelled => vec![(MessageKind::StudentCancelled, 0, now), (MessageKind::TutorCancelled, 0, now)],
    };
    if changed.status == SessionStatus::Scheduled {
        messages.extend(reminders(changed, reminder_leads, now));
    }
    insert(txn, changed, messages, now).await
}

/// A full refund of the session's payment, and, when `tell_student`, the email saying why (a
/// cancel's own email already says the session is cancelled).
pub async fn enqueue_refund(txn: &impl ConnectionTrait, s: &session::Model, tell_student: bool, now: DateTime<Utc>) -> Result<(), DbErr> {
    let mut rows = vec![(MessageKind::Refund, 0, now)];
    if tell_student {
        rows.push((MessageKind::StudentRefunded, 0, now));
    }
    insert(txn, s, rows, now).await
}

/// The session's refund, made or still owed.
pub async fn find_refund(db: &impl ConnectionTrait, session_id: i32) -> Result<Option<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::SessionId.eq(session_id))
        .filter(outbox::Column::Kind.eq(MessageKind::Refund))
        .one(db)
        .await
}

/// The student's reminders of the session's time, if they asked for them.
fn reminders(s: &session::Model, leads: &[u32], now: DateTime<Utc>) -> Vec<(MessageKind, i32, DateTime<Utc>)> {
    if !s.reminders {
        return Vec::new();
    }
    reminder_schedule(s.start_at, now, leads).into_iter().map(|(lead, at)| (MessageKind::Reminder, lead, at)).collect()
}

/// Messages `(kind, lead minutes, send after)` for the session's current version.
async fn insert(
    txn: &impl ConnectionTrait,
    s: &session::Model,
    messages: Vec<(MessageKind, i32, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = messages.into_iter().map(|(kind, lead_minutes, send_after)| outbox::ActiveModel {
        session_id: Set(s.id),
        kind: Set(kind),
        lead_minutes: Set(lead_minutes),
        send_after: Set(send_after),
        attempts: Set(0),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sequence: Set(s.sequence),
        ..Default::default()
    });
    // One statement for all of them: the booking's transaction holds its locks meanwhile.
    outbox::Entity::insert_many(rows).exec(txn).await?;
    Ok(())
}

/// Which worker asks for due rows: the mail worker sends emails, the payments worker refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    Mail,
    Payments,
}

/// Rows due for `worker` and claimed by no live worker, oldest first; failed ones (out of
/// attempts) are not due again.
pub async fn due(db: &impl ConnectionTrait, worker: Worker, now: DateTime<Utc>) -> Result<Vec<outbox::Model>, DbErr> {
    let kind = match worker {
        Worker::Mail => outbox::Column::Kind.ne(MessageKind::Refund),
        Worker::Payments => outbox::Column::Kind.eq(MessageKind::Refund),
    };
    outbox::Entity::find()
        .filter(kind)
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .filter(outbox::Column::SendAfter.lte(now))
        .filter(unclaimed(now))
        .order_by_asc(outbox::Column::SendAfter)
        .limit(BATCH)
        .all(db)
        .await
}

fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any().add(outbox::Column::ClaimedUntil.is_null()).add(outbox::Column::ClaimedUntil.lt(now))
}

/// Takes `message` for this worker, counting the attempt; false if another worker has it.
pub async fn claim(db: &impl ConnectionTrait, message: &outbox::Model, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(now + CLAIM))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .filter(outbox::Column::Id.eq(message.id))
        .filter(outbox::Column::SentAt.is_null())
        .filter(unclaimed(now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

pub async fn mark_sent(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts a message back for a later try, `backoff` after this one; after its last attempt it
/// stays failed, with its last error, and the log says so.
pub async fn mark_failed(db: &impl ConnectionTrait, message: &outbox::Model, error: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    // `message` was read before its claim counted this attempt.
    if message.attempts + 1 >= MAX_ATTEMPTS {
        tracing::error!(outbox_id = message.id, session_id = message.session_id, %error, "giving up on a message after {MAX_ATTEMPTS} attempts");
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SendAfter, Expr::value(now + backoff(message.attempts + 1)))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(error.chars().take(1000).collect::<String>()))
        .filter(outbox::Column::Id.eq(message.id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn reminders_are_due_at_their_lead_or_at_once_when_it_has_passed() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let start = now + Duration::hours(5);
        // A day before has passed: at once; an hour before: 16:00. A repeated lead is one.
        assert_eq!(reminder_schedule(start, now, &[60, 1440, 60]), [(1440, now), (60, start - Duration::hours(1))]);
        assert_eq!(reminder_schedule(start, now, &[]), []);
    }

    #[test]
    fn retries_back_off_from_fifteen_seconds_to_half_an_hour() {
        let waits: Vec<i64> = (1..=10).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, [15, 30, 60, 120, 240, 480, 960, 1800, 1800, 1800]);
        assert_eq!(backoff(0).num_seconds(), 15);
    }
}
