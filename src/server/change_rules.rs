//! Who may change a booked session and what a change costs (docs/booking-contract.md §7): the
//! rules that the session pages, the wizard and the change transactions all ask.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::config::BookingDefaults;
use crate::{
    entities::{session, session_change, user, Actor, SessionStatus},
    error::{AppError, Subject},
};

/// A session with the caller's part in it; someone else's session is as unknown as one that
/// never was (404 either way).
pub async fn participant(db: &impl ConnectionTrait, caller: &user::Model, session_id: i32) -> Result<(session::Model, Actor), AppError> {
    let s = session::Entity::find_by_id(session_id).one(db).await?.ok_or(AppError::NotFound(Subject::Session))?;
    let actor = if s.student_id == caller.id {
        Actor::Student
    } else if s.teacher_id == caller.id {
        Actor::StudentTeacher
    } else {
        return Err(AppError::NotFound(Subject::Session));
    };
    Ok((s, actor))
}

/// Whether the session can still be changed at `now`: scheduled and not begun.
pub fn changeable(s: &session::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    match s.status {
        SessionStatus::Cancelled => Err(AppError::AlreadyCancelled),
        SessionStatus::PendingPayment | SessionStatus::Expired => Err(AppError::NotPaid),
        SessionStatus::Scheduled if now >= s.start_at => Err(AppError::AlreadyStarted),
        SessionStatus::Scheduled => Ok(()),
    }
}

/// The session, if the caller is its student: only a student moves a session, and to anyone
/// else it is as unknown as one that never was.
pub fn students_own((s, actor): (session::Model, Actor)) -> Result<session::Model, AppError> {
    match actor {
        Actor::Student => Ok(s),
        Actor::StudentTeacher => Err(AppError::NotFound(Subject::Session)),
    }
}

/// The student's own session that may still be moved.
pub async fn movable(
    db: &impl ConnectionTrait,
    student: &user::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<session::Model, AppError> {
    let s = students_own(participant(db, student, session_id).await?)?;
    changeable(&s, now).map(|()| s)
}

/// The cancellation policy: a student's change within `free` of the start is late (the session
/// counts as used), and so is every change after a late one, so moving a session far away
/// first cannot make its cancel free. A Student-Teacher's cancel is never the student's loss.
pub fn is_late(actor: Actor, start: DateTime<Utc>, now: DateTime<Utc>, free: Duration, already_late: bool) -> bool {
    actor == Actor::Student && (already_late || start - now < free)
}

/// Whether `actor` changing the session now is late, counting its earlier changes.
pub async fn late_now(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    actor: Actor,
    s: &session::Model,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(is_late(actor, s.start_at, now, defaults.free_cancel(), was_late(db, s.id).await?))
}

/// Whether an earlier change of the session was late.
pub async fn was_late(db: &impl ConnectionTrait, session_id: i32) -> Result<bool, AppError> {
    let late = session_change::Entity::find()
        .filter(session_change::Column::SessionId.eq(session_id))
        .filter(session_change::Column::Late.eq(true))
        .one(db)
        .await?;
    Ok(late.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_students_change_is_late_within_the_free_window_and_ever_after() {
        let start = Utc.with_ymd_and_hms(2026, 12, 10, 14, 0, 0).unwrap();
        let free = Duration::hours(24);
        assert!(!is_late(Actor::Student, start, start - Duration::hours(24), free, false), "exactly the window is free");
        assert!(is_late(Actor::Student, start, start - Duration::hours(24) + Duration::seconds(1), free, false));
        assert!(is_late(Actor::Student, start, start - Duration::days(30), free, true), "after a late move");
        assert!(!is_late(Actor::StudentTeacher, start, start - Duration::minutes(5), free, true), "the tutor's cancel");
    }
}
