//! Booking a session (docs/booking-contract.md §2–3): one transaction that re-checks the slot with the
//! same engine that listed it, for the tutor and the student, and inserts the session.
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
    analytics::Event,
    availability::{check_start, Proposal},
    db,
    enrollment::require_enrolled,
    input::{self, free_text, parse_start},
    outbox,
    queries::{find_course, teacher_of_another},
    state::AppState,
};
use crate::{
    dto::StId,
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
/// session's id. A request whose key this student has used before answers that session.
pub async fn book(state: &AppState, student: &user::Model, request: &BookingRequest, now: DateTime<Utc>) -> Result<i32, AppError> {
    let analytics = &state.analytics;
    if let Some(id) = booked_with_key(&state.db, student.id, &request.idempotency_key).await? {
        return Ok(id);
    }
    match commit(state, student, request, now).await {
        Ok(Committed::New(session_id)) => {
            analytics.record(Some(student.id), Event::BookingSuccess { session_id }, now);
            state.mail.wake();
            Ok(session_id)
        }
        Ok(Committed::Earlier(session_id)) => Ok(session_id),
        Err(error) => {
            analytics.record(Some(student.id), Event::BookingFailed { error_type: error.booking_error_type() }, now);
            Err(error)
        }
    }
}

/// What the transaction found: a session it made, or one an earlier request with the same key
/// made while this one waited (recorded as a success then, not again now).
enum Committed {
    New(i32),
    Earlier(i32),
}

/// One transaction: the session, its video room and the messages it owes, or nothing.
async fn commit(state: &AppState, student: &user::Model, request: &BookingRequest, now: DateTime<Utc>) -> Result<Committed, AppError> {
    let txn = db::begin_write(&state.db).await?;
    let st = teacher_of_another(&txn, student, request.st_id).await?;
    let datetime = request.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state.analytics.record(Some(student.id), Event::BookingAttempted { course_id: st.course_id, st_id: StId(st.id), datetime }, now);
    require_enrolled(&txn, student, st.course_id).await?;
    db::lock_people(&txn, [st.user_id, student.id]).await?;
    // A request with the same key may have committed while this one waited for the lock.
    if let Some(id) = booked_with_key(&txn, student.id, &request.idempotency_key).await? {
        return Ok(Committed::Earlier(id));
    }
    let course = find_course(&txn, st.course_id).await?;
    let proposal = Proposal { st_id: request.st_id, start: request.start, moving: None };
    let slot = check_start(&txn, &state.settings.booking, student, &course, &proposal, now).await?;
    let inserted = session::ActiveModel {
        course_id: Set(course.id),
        student_id: Set(student.id),
        teacher_id: Set(st.user_id),
        start_at: Set(slot.start),
        end_at: Set(slot.end),
        status: Set(SessionStatus::Scheduled),
        note: Set(request.note.clone()),
        reminders: Set(request.reminders),
        created_at: Set(now),
        idempotency_key: Set(Some(request.idempotency_key.clone())),
        video_url: Set(Some(state.video.new_room())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    outbox::enqueue(&txn, &inserted, &state.settings.notifications.reminder_minutes, now).await?;
    txn.commit().await?;
    Ok(Committed::New(inserted.id))
}

async fn booked_with_key(db: &impl ConnectionTrait, student_id: i32, key: &str) -> Result<Option<i32>, AppError> {
    Ok(session::Entity::find()
        .filter(session::Column::StudentId.eq(student_id))
        .filter(session::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(|s| s.id))
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
