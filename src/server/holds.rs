//! Holding a time while its student confirms it (docs/booking-contract.md §9). Opening the
//! confirm step holds its time for `booking.hold_minutes`, and the open step renews it. A hold
//! is busy for everyone but its student (`availability::CourseCalendars`); a student holds one
//! time at a time (the table's key); choosing another time, going back, leaving and booking
//! end it, and a hold that runs its term is cleared within seconds (`start_sweeping`), its
//! time announced free.
//!
//! Two students cannot both hold, or hold and book, one time: a hold is placed the way a
//! booking is committed (the `booking` module's comment), in a write transaction that locks
//! both people and re-checks the slot with every other hold and session in view.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    availability::{check_start, Proposal},
    bookable::Bookable,
    db,
    live::Change,
    state::AppState,
};
use crate::{
    dto::live::ChangeKind,
    entities::{hold, user},
    error::AppError,
    slots::Slot,
};

/// A time held for its student, and until when.
#[derive(Debug, Clone)]
pub struct Held {
    pub slot: Slot,
    pub expires_at: DateTime<Utc>,
}

/// Holds `start` with `b` for `student` (or renews their hold of it), ending any other hold of
/// theirs. Refused as a booking would be when the time is not (or no longer) bookable for them.
pub async fn hold(
    state: &AppState,
    student: &user::Model,
    b: &Bookable,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Held, AppError> {
    let txn = db::begin_write(&state.db).await?;
    db::lock_people(&txn, [b.teacher.id, student.id]).await?;
    let proposal = Proposal { st_id: b.st_id(), start, moving: b.moving_id() };
    let slot = check_start(&txn, &state.settings.booking, student, &b.course, &proposal, now).await?;
    let previous = end(&txn, student.id).await?;
    let expires_at = now + state.settings.booking.hold();
    hold::ActiveModel {
        student_id: Set(student.id),
        teacher_id: Set(b.teacher.id),
        start_at: Set(slot.start),
        end_at: Set(slot.end),
        expires_at: Set(expires_at),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let renewed = previous.as_ref().is_some_and(|p| p.teacher_id == b.teacher.id && p.start_at == slot.start && p.expires_at > now);
    if !renewed {
        if let Some(previous) = previous.filter(|p| p.expires_at > now) {
            state.live.publish(&state.db, freed(&previous)).await;
        }
        let change = Change { kind: ChangeKind::Held, teacher_id: b.teacher.id, student_id: Some(student.id) };
        state.live.publish(&state.db, change).await;
    }
    Ok(Held { slot, expires_at })
}

/// Ends the student's hold, if they have one (only if it holds `start`, when given: a step
/// that has gone leaves a newer hold alone).
pub async fn release(state: &AppState, student: &user::Model, start: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), AppError> {
    // Steps 2 and 3 release on every render, and most find nothing: a read first spares them
    // the write, which on SQLite waits its turn behind every booking.
    if hold::Entity::find_by_id(student.id).one(&state.db).await?.is_none() {
        return Ok(());
    }
    let mut held = hold::Entity::delete_many().filter(hold::Column::StudentId.eq(student.id));
    if let Some(start) = start {
        held = held.filter(hold::Column::StartAt.eq(start));
    }
    for ended in held.exec_with_returning(&state.db).await?.iter().filter(|h| h.expires_at > now) {
        state.live.publish(&state.db, freed(ended)).await;
    }
    Ok(())
}

/// Removes the student's hold in the caller's transaction (a booking's, which takes its time);
/// answers the hold that was removed.
pub async fn end(db: &impl ConnectionTrait, student_id: i32) -> Result<Option<hold::Model>, AppError> {
    Ok(hold::Entity::delete_many().filter(hold::Column::StudentId.eq(student_id)).exec_with_returning(db).await?.pop())
}

/// How often holds that ran their term are cleared, and their times announced free.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Clears the holds that ran their term by `now` (a tab closed on step 4, a phone asleep) and
/// tells the pages showing their times; answers how many. One statement deletes and answers
/// them, so a hold two processes sweep at once is announced by the one that removed it.
pub async fn end_expired(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let ended = hold::Entity::delete_many().filter(hold::Column::ExpiresAt.lte(now)).exec_with_returning(&state.db).await?;
    for hold in &ended {
        state.live.publish(&state.db, freed(hold)).await;
    }
    Ok(ended.len())
}

/// Runs [`end_expired`] every [`SWEEP_EVERY`] for the life of the process.
pub fn start_sweeping(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            if let Err(error) = end_expired(&state, Utc::now()).await {
                tracing::warn!(%error, "cannot clear the holds that ended; will retry");
            }
        }
    });
}

fn freed(ended: &hold::Model) -> Change {
    Change { kind: ChangeKind::Freed, teacher_id: ended.teacher_id, student_id: Some(ended.student_id) }
}
