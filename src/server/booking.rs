//! Booking a session (docs/booking-contract.md §2–3, §8–9): one transaction that re-checks the slot with the
//! same engine that listed it, for the tutor and the student (others' holds included), and
//! inserts the session in place of the student's own hold.
//!
//! What keeps two bookings from overlapping whatever the timing:
//! - SQLite: the transaction starts with `BEGIN IMMEDIATE`, so writers take turns and each
//!   re-check sees every session committed before it;
//! - PostgreSQL: the transaction first locks the tutor's and the student's `users` rows
//!   (`FOR UPDATE`, in id order so two bookings cannot deadlock), so bookings that involve the
//!   same person take turns while others proceed side by side (an exclusion constraint alone
//!   deadlocks under contention: BENCHMARKS.md).
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    allowance::{next_charge, require_room_for_another, Charge},
    analytics::Event,
    availability::{Checked, Proposal},
    db,
    enrollment::require_enrolled,
    holds,
    input::{self, free_text, parse_start},
    live::Change,
    outbox, payments,
    queries::{find_course, teacher_of_another},
    state::AppState,
};
use crate::{
    dto::live::ChangeKind,
    dto::{
        wizard::{Booked, BookedStatus},
        StId,
    },
    entities::{session, user, SessionStatus},
    error::AppError,
};

/// The longest note a student may leave for the Student-Teacher, in characters.
pub const NOTE_MAX_CHARS: usize = 1_000;

/// A booking request whose fields have been checked.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub st_id: StId,
    pub start: DateTime<Utc>,
    pub reminders: bool,
    pub note: String,
    pub idempotency_key: String,
}

impl BookingRequest {
    /// Checks the endpoint's fields; each refusal names its field.
    pub fn parse(st_id: StId, start: &str, reminders: bool, note: Option<String>, idempotency_key: &str) -> Result<Self, AppError> {
        let start = parse_start(start)?;
        let note = free_text("note", "A note", &note.unwrap_or_default(), NOTE_MAX_CHARS)?;
        let idempotency_key = input::idempotency_key(idempotency_key)?;
        Ok(Self { st_id, start, reminders, note, idempotency_key })
    }
}

/// Books `request` for `student`, recording the contract's analytics events; answers the
/// session, and its payment when it needs one. A request whose key this student has used
/// before answers that session.
pub async fn book(state: &AppState, student: &user::Model, request: &BookingRequest, now: DateTime<Utc>) -> Result<Booked, AppError> {
    let analytics = &state.analytics;
    if let Some(earlier) = booked_with_key(&state.db, student.id, &request.idempotency_key).await? {
        return answer(state, &earlier, now).await;
    }
    match commit(state, student, request, now).await {
        Ok(Committed::New(booked)) => {
            let change = Change { kind: ChangeKind::Booked, teacher_id: booked.teacher_id, student_id: Some(student.id) };
            state.live.publish(&state.db, change).await;
            // A session awaiting payment is a success once it is paid (`payments::settle`).
            if booked.status == SessionStatus::Scheduled {
                analytics.record(Some(student.id), Event::BookingSuccess { session_id: booked.id }, now);
                state.mail.wake();
            }
            answer(state, &booked, now).await
        }
        Ok(Committed::Earlier(booked)) => answer(state, &booked, now).await,
        Err(error) => {
            analytics.record(Some(student.id), Event::BookingFailed { error_type: error.booking_error_type() }, now);
            Err(error)
        }
    }
}

/// What a booked session still needs: nothing, or its payment.
async fn answer(state: &AppState, s: &session::Model, now: DateTime<Utc>) -> Result<Booked, AppError> {
    match s.status {
        SessionStatus::PendingPayment if s.hold_expires_at.is_some_and(|end| end > now) => {
            let payment = payments::payment_due(state, s, now).await?;
            Ok(Booked { session_id: s.id, status: BookedStatus::PendingPayment, payment: Some(payment) })
        }
        SessionStatus::PendingPayment | SessionStatus::Expired => Err(AppError::HoldExpired),
        SessionStatus::Scheduled | SessionStatus::Cancelled => {
            Ok(Booked { session_id: s.id, status: BookedStatus::Scheduled, payment: None })
        }
    }
}

/// What the transaction found: a session it made, or one an earlier request with the same key
/// made while this one waited (recorded as a success then, not again now).
enum Committed {
    New(session::Model),
    Earlier(session::Model),
}

/// One transaction: the session, its video room and the messages it owes, or nothing. A
/// session beyond the course's included ones is committed awaiting payment instead: it holds
/// its time and owes no message until it is paid.
///
/// The slot is checked against the whole calendar before the write transaction, so bookings
/// take turns only for what another commit could have changed meanwhile: the idempotency key,
/// both people's sessions and holds around the slot (`Checked::recheck`), the student's count
/// of upcoming sessions and what they have left to book.
async fn commit(state: &AppState, student: &user::Model, request: &BookingRequest, now: DateTime<Utc>) -> Result<Committed, AppError> {
    let defaults = &state.settings.booking;
    let st = teacher_of_another(&state.db, student, request.st_id).await?;
    let datetime = request.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state.analytics.record(Some(student.id), Event::BookingAttempted { course_id: st.course_id, st_id: StId(st.id), datetime }, now);
    require_enrolled(&state.db, student, st.course_id).await?;
    let course = find_course(&state.db, st.course_id).await?;
    let proposal = Proposal { st_id: request.st_id, start: request.start, moving: None };
    let checked = match Checked::load(&state.db, defaults, student, &course, &proposal, now).await {
        Ok(checked) => checked,
        // The same request, sent twice at once, may have just taken this very time.
        Err(error) => match booked_with_key(&state.db, student.id, &request.idempotency_key).await? {
            Some(earlier) => return Ok(Committed::Earlier(earlier)),
            None => return Err(error),
        },
    };
    let txn = db::begin_write(&state.db).await?;
    db::lock_people(&txn, [st.user_id, student.id]).await?;
    // A request with the same key may have committed while this one waited for the lock.
    if let Some(earlier) = booked_with_key(&txn, student.id, &request.idempotency_key).await? {
        return Ok(Committed::Earlier(earlier));
    }
    let slot = checked.recheck(&txn, now).await?;
    require_room_for_another(&txn, defaults, student.id, now).await?;
    let (status, amount_cents, currency, hold_expires_at) = match next_charge(&txn, student.id, &course).await? {
        Charge::Included => (SessionStatus::Scheduled, None, None, None),
        Charge::Paid { .. } if state.stripe.is_none() => return Err(AppError::PaymentUnavailable),
        Charge::Paid { amount_cents, currency } => {
            (SessionStatus::PendingPayment, Some(amount_cents), Some(currency), Some(now + defaults.payment_hold()))
        }
    };
    let inserted = session::ActiveModel {
        course_id: Set(course.id),
        student_id: Set(student.id),
        teacher_id: Set(st.user_id),
        start_at: Set(slot.start),
        end_at: Set(slot.end),
        status: Set(status),
        note: Set(request.note.clone()),
        reminders: Set(request.reminders),
        created_at: Set(now),
        idempotency_key: Set(Some(request.idempotency_key.clone())),
        video_url: Set(Some(state.video.new_room())),
        amount_cents: Set(amount_cents),
        currency: Set(currency),
        hold_expires_at: Set(hold_expires_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if status == SessionStatus::Scheduled {
        outbox::enqueue(&txn, &inserted, &state.settings.notifications.reminder_minutes, now).await?;
    }
    // The session takes the time the student held while confirming it.
    holds::end(&txn, student.id).await?;
    txn.commit().await?;
    Ok(Committed::New(inserted))
}

async fn booked_with_key(db: &impl ConnectionTrait, student_id: i32, key: &str) -> Result<Option<session::Model>, AppError> {
    Ok(session::Entity::find()
        .filter(session::Column::StudentId.eq(student_id))
        .filter(session::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_field_by_field() {
        let field = |r: Result<BookingRequest, AppError>| match r {
            Err(AppError::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        };
        let ok = BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", true, Some("  hi  ".into()), "key-12345").unwrap();
        assert_eq!((ok.note.as_str(), ok.reminders), ("hi", true));
        assert_eq!(ok.start.to_rfc3339(), "2026-12-01T14:00:00+00:00");
        assert_eq!(field(BookingRequest::parse(StId(1), "tomorrow", false, None, "key-12345")), "start");
        assert_eq!(field(BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, Some("x".repeat(1001)), "key-12345")), "note");
        assert_eq!(field(BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, Some("a\0b".into()), "key-12345")), "note");
        assert!(BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, Some("line one\nline two\tend".into()), "key-12345").is_ok());
        // Every line break is stored as a line feed.
        let note = |n: &str| BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, Some(n.into()), "key-12345").unwrap().note;
        assert_eq!(note("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert!(BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, Some("é".repeat(1000)), "key-12345").is_ok());
        for key in ["short", "has space12", &"k".repeat(65), "tab\tkey12"] {
            assert_eq!(field(BookingRequest::parse(StId(1), "2026-12-01T14:00:00Z", false, None, key)), "idempotency_key", "{key:?}");
        }
    }
}
