//! Loads several services share: courses, people, Student-Teachers, open requests.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

use super::presentation::teacher_card;
use crate::{
    dto::{StId, TeacherCard},
    entities::{course, schedule_later_request, student_teacher, user, RequestStatus},
    error::{AppError, Subject},
};

pub async fn find_course(db: &impl ConnectionTrait, course_id: i32) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound(Subject::Course))
}

/// A Student-Teacher who teaches now; an inactive one is as unknown as one that never was.
async fn active_student_teacher(db: &impl ConnectionTrait, st_id: StId) -> Result<student_teacher::Model, AppError> {
    student_teacher::Entity::find_by_id(st_id.0).one(db).await?.filter(|st| st.is_active).ok_or(AppError::NotFound(Subject::StudentTeacher))
}

/// An active Student-Teacher other than the student: one who also studies cannot book
/// themself.
pub async fn teacher_of_another(db: &impl ConnectionTrait, student: &user::Model, st_id: StId) -> Result<student_teacher::Model, AppError> {
    let st = active_student_teacher(db, st_id).await?;
    if st.user_id == student.id {
        return Err(booking_yourself());
    }
    Ok(st)
}

/// The refusal of a Student-Teacher who also studies and tries to book themself.
pub fn booking_yourself() -> AppError {
    AppError::invalid("st_id", "You cannot book a session with yourself.")
}

/// The `student_teachers` row of the user `teacher_id` in a course, active or not.
pub async fn student_teacher_of(
    db: &impl ConnectionTrait,
    teacher_id: i32,
    course_id: i32,
) -> Result<Option<student_teacher::Model>, AppError> {
    Ok(student_teacher::Entity::find()
        .filter(student_teacher::Column::UserId.eq(teacher_id))
        .filter(student_teacher::Column::CourseId.eq(course_id))
        .one(db)
        .await?)
}

/// The student's open "Schedule Later" request for a course, if any.
pub async fn open_request(
    db: &impl ConnectionTrait,
    student_id: i32,
    course_id: i32,
) -> Result<Option<schedule_later_request::Model>, AppError> {
    Ok(schedule_later_request::Entity::find()
        .filter(schedule_later_request::Column::StudentId.eq(student_id))
        .filter(schedule_later_request::Column::CourseId.eq(course_id))
        .filter(schedule_later_request::Column::Status.eq(RequestStatus::Open))
        .one(db)
        .await?)
}

/// Users by id, in one query.
pub async fn users_by_id(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, user::Model>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
    Ok(users.into_iter().map(|u| (u.id, u)).collect())
}

/// An active Student-Teacher of a course with the user who teaches, and their card.
#[derive(Debug, Clone)]
pub struct ActiveTeacher {
    pub st: student_teacher::Model,
    pub person: user::Model,
    pub card: TeacherCard,
}

/// The active Student-Teachers of a course, best rated first (unrated last), then by name.
/// Each with the user who teaches, so that a student who also teaches can be left out of their
/// own choices.
pub async fn active_teachers(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<ActiveTeacher>, AppError> {
    let rows = student_teacher::Entity::find()
        .filter(student_teacher::Column::CourseId.eq(course_id))
        .filter(student_teacher::Column::IsActive.eq(true))
        .all(db)
        .await?;
    let users = users_by_id(db, rows.iter().map(|st| st.user_id)).await?;
    let mut teachers: Vec<ActiveTeacher> = rows
        .into_iter()
        .filter_map(|st| {
            let person = users.get(&st.user_id)?.clone();
            Some(ActiveTeacher { card: teacher_card(&st, &person), st, person })
        })
        .collect();
    let rating = |t: &ActiveTeacher| t.card.rating.unwrap_or(-1.0);
    teachers.sort_by(|a, b| rating(b).total_cmp(&rating(a)).then_with(|| a.card.name.cmp(&b.card.name)));
    Ok(teachers)
}
