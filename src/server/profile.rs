//! A Student-Teacher's profile: who they are, what they teach, and their weekly hours.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    presentation::{course_summary, teacher_card},
    queries::find_course,
};
use crate::{
    dto::{
        courses::{TeacherProfile, WeeklyHours},
        StId,
    },
    entities::{availability, student_teacher, user},
    error::{AppError, Subject},
};

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The profile of any Student-Teacher, active or not (an inactive one says so).
pub async fn teacher_profile(db: &impl ConnectionTrait, st_id: StId) -> Result<TeacherProfile, AppError> {
    let st = student_teacher::Entity::find_by_id(st_id.0).one(db).await?.ok_or(AppError::NotFound(Subject::StudentTeacher))?;
    let person = user::Entity::find_by_id(st.user_id).one(db).await?.ok_or(AppError::Internal)?;
    let course = find_course(db, st.course_id).await?;
    let rules = availability::Entity::find()
        .filter(availability::Column::TeacherId.eq(person.id))
        .order_by_asc(availability::Column::DayOfWeek)
        .order_by_asc(availability::Column::StartTime)
        .all(db)
        .await?;
    let weekly_hours = (1..=7i16)
        .filter_map(|dow| {
            let hours: Vec<String> =
                rules.iter().filter(|r| r.day_of_week == dow).map(|r| format!("{} – {}", r.start_time, r.end_time)).collect();
            (!hours.is_empty()).then(|| WeeklyHours { day: DAYS[dow as usize - 1].to_owned(), hours })
        })
        .collect();
    Ok(TeacherProfile {
        card: teacher_card(&st, &person),
        bio: st.bio.clone(),
        course: course_summary(&course),
        is_active: st.is_active,
        weekly_hours,
    })
}
