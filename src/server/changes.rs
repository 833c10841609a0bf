//! Changing a booked session (docs/booking-contract.md §7): a cancel by either of its people, a
//! reschedule by its student. Each is one transaction, after which the session has changed
//! and owes its emails, or nothing changed.
//!
//! What keeps two changes (or a change and a booking) from both applying to what each read:
//! - both people are locked as a booking locks them (`db::lock_people`), and on SQLite the
//!   write transaction excludes every other writer, so the session is read again after the
//!   lock and the new time is checked against every session committed before;
//! - the update names the version it read (`sequence`), and `session_changes` holds one row per
//!   version, so a change that raced another anyway updates nothing and is refused.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    analytics::Event,
    availability::{check_start, Proposal},
    bookable::bookable,
    change_rules::{changeable, late_now, participant, students_own},
    db, holds,
    input::{self, free_text, parse_start},
    live::Change as LiveChange,
    outbox,
    queries::student_teacher_of,
    state::AppState,
};
use crate::{
    dto::{live, sessions::ChangedSession, StId},
    entities::{session, session_change, user, Actor, ChangeKind, SessionStatus},
    error::{AppError, Subject},
};

/// The longest reason a canceller may give, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// A cancel whose fields have been checked.
#[derive(Debug, Clone)]
pub struct CancelRequest {
    pub session_id: i32,
    pub reason: Option<String>,
}

impl CancelRequest {
    pub fn parse(session_id: i32, reason: Option<String>) -> Result<Self, AppError> {
        let reason = free_text("reason", "A reason", &reason.unwrap_or_default(), REASON_MAX_CHARS)?;
        Ok(Self { session_id, reason: Some(reason).filter(|r| !r.is_empty()) })
    }
}

/// A reschedule whose fields have been checked.
#[derive(Debug, Clone)]
pub struct RescheduleRequest {
    pub session_id: i32,
    pub start: DateTime<Utc>,
    pub idempotency_key: String,
}

impl RescheduleRequest {
    pub fn parse(session_id: i32, start: &str, idempotency_key: &str) -> Result<Self, AppError> {
        Ok(Self { session_id, start: parse_start(start)?, idempotency_key: input::idempotency_key(idempotency_key)? })
    }
}

/// Cancels a session for the student or its Student-Teacher; answers the cancelled session.
pub async fn cancel(
    state: &AppState,
    caller: &user::Model,
    request: &CancelRequest,
    now: DateTime<Utc>,
) -> Result<session::Model, AppError> {
    let txn = db::begin_write(&state.db).await?;
    let (s, actor) = locked(&txn, caller, request.session_id).await?;
    changeable(&s, now)?;
    let late = late_now(&txn, &state.settings.booking, actor, &s, now).await?;
    let cancelled = advance(&txn, &s, session::ActiveModel { status: Set(SessionStatus::Cancelled), ..Default::default() }).await?;
    let change = Change { kind: ChangeKind::Cancelled, actor, reason: request.reason.clone(), late, idempotency_key: None };
    record(&txn, &s, &cancelled, change, now).await?;
    outbox::enqueue_change(&txn, &cancelled, ChangeKind::Cancelled, &state.settings.notifications.reminder_minutes, now).await?;
    // A paid session cancelled within the policy (or by its Student-Teacher) is refunded in full.
    let refunds = s.payment_intent_id.is_some() && !late;
    if refunds {
        outbox::enqueue_refund(&txn, &cancelled, false, now).await?;
    }
    txn.commit().await?;
    let change = LiveChange { kind: live::ChangeKind::Cancelled, teacher_id: s.teacher_id, student_id: Some(s.student_id) };
    state.live.publish(&state.db, change).await;
    state.analytics.record(Some(caller.id), Event::SessionCancelled { session_id: s.id, by: actor.as_str(), late }, now);
    state.mail.wake();
    if refunds {
        state.payments.wake();
    }
    Ok(cancelled)
}

/// Moves the student's session to `request.start` with the same Student-Teacher, checked by the
/// engine as a new booking would be with the session left out of both people's busy times;
/// keeps its id, video room and calendar UID. A repeated key answers the session and changes
/// nothing.
pub async fn reschedule(
    state: &AppState,
    student: &user::Model,
    request: &RescheduleRequest,
    now: DateTime<Utc>,
) -> Result<session::Model, AppError> {
    if let Some(done) = rescheduled_with_key(&state.db, student, request).await? {
        return Ok(done);
    }
    let txn = db::begin_write(&state.db).await?;
    let s = students_own(locked(&txn, student, request.session_id).await?)?;
    // The same key may have moved the session while this request waited for the lock.
    if let Some(done) = rescheduled_with_key(&txn, student, request).await? {
        return Ok(done);
    }
    changeable(&s, now)?;
    if request.start == s.start_at {
        return Err(AppError::invalid("start", "Choose a time other than the session's current one."));
    }
    let st = student_teacher_of(&txn, s.teacher_id, s.course_id).await?.ok_or(AppError::NotFound(Subject::StudentTeacher))?;
    let tutor = bookable(&txn, student, StId(st.id)).await?;
    let proposal = Proposal { st_id: tutor.st_id(), start: request.start, moving: Some(s.id) };
    let slot = check_start(&txn, &state.settings.booking, student, &tutor.course, &proposal, now).await?;
    let late = late_now(&txn, &state.settings.booking, Actor::Student, &s, now).await?;
    let moved = advance(&txn, &s, session::ActiveModel { start_at: Set(slot.start), end_at: Set(slot.end), ..Default::default() }).await?;
    let change = Change {
        kind: ChangeKind::Rescheduled,
        actor: Actor::Student,
        reason: None,
        late,
        idempotency_key: Some(request.idempotency_key.clone()),
    };
    record(&txn, &s, &moved, change, now).await?;
    outbox::enqueue_change(&txn, &moved, ChangeKind::Rescheduled, &state.settings.notifications.reminder_minutes, now).await?;
    // The new time takes the student's hold of it.
    holds::end(&txn, student.id).await?;
    txn.commit().await?;
    // Both the old time and the new one changed.
    let change = LiveChange { kind: live::ChangeKind::Booked, teacher_id: s.teacher_id, student_id: Some(s.student_id) };
    state.live.publish(&state.db, change).await;
    state.analytics.record(Some(student.id), Event::SessionRescheduled { session_id: s.id }, now);
    state.mail.wake();
    Ok(moved)
}

/// A change's answer: the session as it now is.
pub fn changed_session(s: &session::Model) -> ChangedSession {
    let utc = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ChangedSession { session_id: s.id, start: utc(s.start_at), end: utc(s.end_at), status: s.status.to_value(), sequence: s.sequence }
}

/// The caller's session, read after its two people are locked.
async fn locked(txn: &impl ConnectionTrait, caller: &user::Model, session_id: i32) -> Result<(session::Model, Actor), AppError> {
    let (s, _) = participant(txn, caller, session_id).await?;
    db::lock_people(txn, [s.teacher_id, s.student_id]).await?;
    participant(txn, caller, session_id).await
}

/// The session as the reschedule with this key left it, if there was one.
async fn rescheduled_with_key(
    db: &impl ConnectionTrait,
    student: &user::Model,
    request: &RescheduleRequest,
) -> Result<Option<session::Model>, AppError> {
    let change = session_change::Entity::find()
        .filter(session_change::Column::SessionId.eq(request.session_id))
        .filter(session_change::Column::IdempotencyKey.eq(&request.idempotency_key))
        .one(db)
        .await?;
    if change.is_none() {
        return Ok(None);
    }
    students_own(participant(db, student, request.session_id).await?).map(Some)
}

/// Applies `update` to the version of the session that was read, and counts the change. Under
/// the locks no other change can come between; should one have, nothing is written.
async fn advance(txn: &impl ConnectionTrait, read: &session::Model, mut update: session::ActiveModel) -> Result<session::Model, AppError> {
    update.sequence = Set(read.sequence + 1);
    let applied = session::Entity::update_many()
        .set(update)
        .filter(session::Column::Id.eq(read.id))
        .filter(session::Column::Sequence.eq(read.sequence))
        .exec(txn)
        .await?;
    if applied.rows_affected != 1 {
        tracing::error!(session_id = read.id, sequence = read.sequence, "a session changed under its lock");
        return Err(AppError::Internal);
    }
    session::Entity::find_by_id(read.id).one(txn).await?.ok_or(AppError::NotFound(Subject::Session))
}

struct Change {
    kind: ChangeKind,
    actor: Actor,
    reason: Option<String>,
    late: bool,
    idempotency_key: Option<String>,
}

async fn record(
    txn: &impl ConnectionTrait,
    before: &session::Model,
    after: &session::Model,
    change: Change,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    session_change::ActiveModel {
        session_id: Set(after.id),
        sequence: Set(after.sequence),
        kind: Set(change.kind),
        actor: Set(change.actor),
        previous_start_at: Set(before.start_at),
        previous_end_at: Set(before.end_at),
        reason: Set(change.reason),
        late: Set(change.late),
        idempotency_key: Set(change.idempotency_key),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_field_by_field() {
        let field = |r: Result<_, AppError>| match r {
            Err(AppError::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(CancelRequest::parse(1, Some("  ".into())).unwrap().reason, None);
        assert_eq!(CancelRequest::parse(1, Some("exam\r\nmoved".into())).unwrap().reason.as_deref(), Some("exam\nmoved"));
        assert_eq!(field(CancelRequest::parse(1, Some("x".repeat(501))).map(|_| ())), "reason");
        assert_eq!(field(CancelRequest::parse(1, Some("a\u{7}b".into())).map(|_| ())), "reason");
        assert!(CancelRequest::parse(1, Some("é".repeat(500))).is_ok());
        assert_eq!(field(RescheduleRequest::parse(1, "soon", "key-12345").map(|_| ())), "start");
        assert_eq!(field(RescheduleRequest::parse(1, "2026-12-01T14:00:00Z", "short").map(|_| ())), "idempotency_key");
    }
}
