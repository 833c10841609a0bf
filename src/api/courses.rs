use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CourseSummary, TeacherCard};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub course: CourseSummary,
    pub description: String,
    pub enrolled: bool,
    pub teachers: Vec<TeacherCard>,
}

#[server(endpoint = "load_course_page")]
pub async fn load_course_page(course_id: i32) -> Result<CoursePage, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        views,
    };
    let state = app_state()?;
    let student = require_student()?;
    let entry = state.catalog.course(&state.db, course_id).await?;
    Ok(CoursePage {
        enrolled: views::is_enrolled(&state.db, student.id, course_id).await?,
        teachers: entry.teachers.clone(),
        description: entry.course.description.clone(),
        course: views::course_summary(&entry.course),
    })
}

/// Enrolls the logged-in student (again is harmless) and goes on to book.
#[server(endpoint = "enroll")]
pub async fn enroll(course_id: i32) -> Result<(), AppError> {
    use crate::{
        entities::enrollment,
        server::{
            db::ignore_duplicate,
            request::{app_state, require_student},
            views,
        },
    };
    use sea_orm::{ActiveModelTrait, Set};

    let state = app_state()?;
    let student = require_student()?;
    views::find_course(&state.db, course_id).await?;
    // The unique index on (student, course) makes enrolling again, or twice at once, harmless.
    ignore_duplicate(
        enrollment::ActiveModel {
            student_id: Set(student.id),
            course_id: Set(course_id),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&state.db)
        .await,
    )?;
    leptos_axum::redirect(&format!("/courses/{course_id}/book"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// "Monday" … "Sunday"
    pub day: String,
    /// "17:00 – 21:00", in the Student-Teacher's own timezone.
    pub hours: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherProfile {
    pub card: TeacherCard,
    pub bio: String,
    pub course: CourseSummary,
    pub is_active: bool,
    pub weekly_hours: Vec<WeeklyHours>,
}

#[server(endpoint = "load_teacher_profile")]
pub async fn load_teacher_profile(st_id: i32) -> Result<TeacherProfile, AppError> {
    use crate::{
        entities::{availability, student_teacher, user},
        server::{
            request::{app_state, require_student},
            views,
        },
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let state = app_state()?;
    require_student()?;
    let db = &state.db;
    let st = student_teacher::Entity::find_by_id(st_id).one(db).await?.ok_or_else(|| AppError::NotFound("Student-Teacher".into()))?;
    let person = user::Entity::find_by_id(st.user_id).one(db).await?.ok_or(AppError::Internal)?;
    let course = views::find_course(db, st.course_id).await?;
    let rules = availability::Entity::find()
        .filter(availability::Column::TeacherId.eq(person.id))
        .order_by_asc(availability::Column::DayOfWeek)
        .order_by_asc(availability::Column::StartTime)
        .all(db)
        .await?;
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let weekly_hours = (1..=7i16)
        .filter_map(|dow| {
            let hours: Vec<String> =
                rules.iter().filter(|r| r.day_of_week == dow).map(|r| format!("{} – {}", r.start_time, r.end_time)).collect();
            (!hours.is_empty()).then(|| WeeklyHours { day: DAYS[dow as usize - 1].to_owned(), hours })
        })
        .collect();
    Ok(TeacherProfile {
        card: views::teacher_card(&st, &person),
        bio: st.bio.clone(),
        course: views::course_summary(&course),
        is_active: st.is_active,
        weekly_hours,
    })
}
