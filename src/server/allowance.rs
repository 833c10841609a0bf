//! What a course's enrollment includes and what a session beyond it costs
//! (docs/booking-contract.md §8): the counting that the dashboard, the course page, the confirm
//! step and the booking transaction all ask, so what a page promises is what the commit charges.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;

use super::{availability::occupying, config::BookingDefaults};
use crate::{
    dto::courses::Allowance,
    entities::{course, session, session_change, ChangeKind, SessionStatus},
    error::AppError,
};

/// What booking one more session of a course costs the student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charge {
    /// One of the sessions the enrollment includes.
    Included,
    /// Paid for at the course's price.
    Paid { amount_cents: i32, currency: String },
}

impl Charge {
    pub fn for_next(allowance: &Allowance, course: &course::Model) -> Self {
        match course.session_price_cents {
            Some(amount_cents) if allowance.left == 0 => Self::Paid { amount_cents, currency: course.currency.clone() },
            _ => Self::Included,
        }
    }
}

/// The student's allowance in each of `courses`: its included sessions that are scheduled, or
/// were cancelled late (a late cancel counts as used), use one each; paid sessions use none.
pub async fn allowances(
    db: &impl ConnectionTrait,
    student_id: i32,
    courses: &[&course::Model],
) -> Result<HashMap<i32, Allowance>, AppError> {
    let course_ids: Vec<i32> = courses.iter().map(|c| c.id).collect();
    let included = session::Entity::find()
        .filter(session::Column::StudentId.eq(student_id))
        .filter(session::Column::CourseId.is_in(course_ids))
        .filter(session::Column::AmountCents.is_null())
        .filter(session::Column::Status.is_in([SessionStatus::Scheduled, SessionStatus::Cancelled]))
        .all(db)
        .await?;
    let cancelled: Vec<i32> = included.iter().filter(|s| s.status == SessionStatus::Cancelled).map(|s| s.id).collect();
    let cancelled_late: std::collections::HashSet<i32> = if cancelled.is_empty() {
        Default::default()
    } else {
        session_change::Entity::find()
            .filter(session_change::Column::SessionId.is_in(cancelled))
            .filter(session_change::Column::Kind.eq(ChangeKind::Cancelled))
            .filter(session_change::Column::Late.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.session_id)
            .collect()
    };
    let mut used: HashMap<i32, i32> = HashMap::new();
    for s in included.iter().filter(|s| s.status == SessionStatus::Scheduled || cancelled_late.contains(&s.id)) {
        *used.entry(s.course_id).or_default() += 1;
    }
    Ok(courses
        .iter()
        .map(|c| {
            let used = used.get(&c.id).copied().unwrap_or_default();
            (c.id, Allowance { included: c.sessions_included, used, left: (c.sessions_included - used).max(0) })
        })
        .collect())
}

pub async fn allowance(db: &impl ConnectionTrait, student_id: i32, course: &course::Model) -> Result<Allowance, AppError> {
    let mut all = allowances(db, student_id, &[course]).await?;
    Ok(all.remove(&course.id).expect("asked for this course"))
}

/// Refuses one more upcoming session to a student who holds as many as they may, across all
/// courses; a session awaiting payment is one while it holds its time.
/// What the student's next session of `course` costs: a course without a price has nothing to
/// count.
pub async fn next_charge(db: &impl ConnectionTrait, student_id: i32, course: &course::Model) -> Result<Charge, AppError> {
    if course.session_price_cents.is_none() {
        return Ok(Charge::Included);
    }
    Ok(Charge::for_next(&allowance(db, student_id, course).await?, course))
}

pub async fn require_room_for_another(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let upcoming = session::Entity::find()
        .filter(session::Column::StudentId.eq(student_id))
        .filter(occupying(now))
        .filter(session::Column::EndAt.gt(now))
        .count(db)
        .await?;
    if upcoming >= u64::from(defaults.max_upcoming_sessions) {
        return Err(AppError::TooManyUpcoming);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(price: Option<i32>) -> course::Model {
        course::Model {
            id: 1,
            title: "Algebra I".into(),
            description: String::new(),
            session_minutes: 60,
            sessions_included: 8,
            session_price_cents: price,
            currency: "usd".into(),
        }
    }

    #[test]
    fn the_next_session_is_paid_only_once_none_is_left_and_the_course_has_a_price() {
        let left = |left| Allowance { included: 8, used: 8 - left, left };
        assert_eq!(Charge::for_next(&left(1), &course(Some(2500))), Charge::Included);
        assert_eq!(Charge::for_next(&left(0), &course(Some(2500))), Charge::Paid { amount_cents: 2500, currency: "usd".into() });
        assert_eq!(Charge::for_next(&left(0), &course(None)), Charge::Included, "an unpriced course stays free");
    }
}
