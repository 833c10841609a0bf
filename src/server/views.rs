//! Turning rows into the DTOs pages receive, and the loads several server functions share.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

use crate::{
    api::{Avatar, CourseSummary, TeacherCard, UserView},
    entities::{course, enrollment, request_status, schedule_later_request, student_teacher, user},
    error::AppError,
};

pub fn avatar(user: &user::Model) -> Avatar {
    let initials = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    Avatar { url: user.avatar_url.clone(), initials }
}

pub fn user_view(user: &user::Model) -> UserView {
    UserView { id: user.id, name: user.name.clone(), email: user.email.clone(), timezone: user.timezone.clone(), avatar: avatar(user) }
}

pub fn course_summary(course: &course::Model) -> CourseSummary {
    CourseSummary {
        id: course.id,
        title: course.title.clone(),
        session_minutes: course.session_minutes,
        sessions_included: course.sessions_included,
    }
}

pub fn teacher_card(st: &student_teacher::Model, user: &user::Model) -> TeacherCard {
    TeacherCard {
        st_id: st.id,
        name: user.name.clone(),
        avatar: avatar(user),
        timezone: user.timezone.clone(),
        students_taught: st.students_taught,
        rating: st.rating,
    }
}

pub async fn find_course(db: &impl ConnectionTrait, course_id: i32) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(course_id).one(db).await?.ok_or_else(|| AppError::NotFound("Course".into()))
}

pub async fn is_enrolled(db: &impl ConnectionTrait, student_id: i32, course_id: i32) -> Result<bool, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(student_id))
        .filter(enrollment::Column::CourseId.eq(course_id))
        .one(db)
        .await?
        .is_some())
}

/// The course, if the student is enrolled in it.
pub async fn enrolled_course(db: &impl ConnectionTrait, student_id: i32, course_id: i32) -> Result<course::Model, AppError> {
    let course = find_course(db, course_id).await?;
    if !is_enrolled(db, student_id, course_id).await? {
        return Err(AppError::NotEnrolled);
    }
    Ok(course)
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
        .filter(schedule_later_request::Column::Status.eq(request_status::OPEN))
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

/// The active Student-Teachers of a course, best rated first (unrated last), then by name.
pub async fn active_teachers(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<TeacherCard>, AppError> {
    let rows = student_teacher::Entity::find()
        .filter(student_teacher::Column::CourseId.eq(course_id))
        .filter(student_teacher::Column::IsActive.eq(true))
        .all(db)
        .await?;
    let users = users_by_id(db, rows.iter().map(|st| st.user_id)).await?;
    let mut cards: Vec<TeacherCard> = rows.iter().filter_map(|st| users.get(&st.user_id).map(|u| teacher_card(st, u))).collect();
    cards.sort_by(|a, b| b.rating.unwrap_or(-1.0).total_cmp(&a.rating.unwrap_or(-1.0)).then_with(|| a.name.cmp(&b.name)));
    Ok(cards)
}

pub fn parse_timezone(name: &str) -> Tz {
    // Timezones are validated when stored; a bad one is shown in UTC rather than failing a page.
    name.parse().unwrap_or(Tz::UTC)
}

/// "Tuesday, December 1, 2026" and "9:00 AM – 10:00 AM EST" in the viewer's timezone.
pub fn session_labels(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> (String, String) {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    (s.format("%A, %B %-d, %Y").to_string(), format!("{} – {} {}", s.format("%-I:%M %p"), e.format("%-I:%M %p"), e.format("%Z")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn labels_are_in_the_viewers_zone_with_its_abbreviation() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        let (date, time) = session_labels(start, end, chrono_tz::America::New_York);
        assert_eq!(date, "Tuesday, December 1, 2026");
        assert_eq!(time, "9:00 AM – 10:00 AM EST");
        let (date, _) = session_labels(start, end, chrono_tz::Asia::Tokyo);
        assert_eq!(date, "Tuesday, December 1, 2026");
        let (_, time) = session_labels(start, end, chrono_tz::Asia::Kathmandu);
        assert_eq!(time, "7:45 PM – 8:45 PM +0545");
    }
}
