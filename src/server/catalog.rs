//! Courses, their active Student-Teachers and who is enrolled in them, as pages show them. They
//! change only when an operator edits them or a student enrolls, yet every booking and course
//! page reads them: bounded caches that forget each entry after a few seconds save several
//! queries a page. Pages alone read them; a booking re-reads what it relies on inside its own
//! transaction.
use chrono::{DateTime, Utc};
use moka::future::Cache;
use sea_orm::{DatabaseConnection, EntityTrait};
use std::{sync::Arc, time::Duration};

use super::{
    bookable::Bookable,
    change_rules::movable,
    enrollment::is_enrolled,
    queries::{active_teachers, find_course, ActiveTeacher},
};
use crate::{
    dto::{StId, TeacherCard},
    entities::{course, student_teacher, user},
    error::{AppError, Subject},
};

/// How long an entry is shown before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Entries kept at most in each cache; the least recently used go first.
const CAPACITY: u64 = 10_000;

#[derive(Debug)]
pub struct CourseEntry {
    pub course: course::Model,
    /// Active Student-Teachers, best rated first.
    teachers: Vec<ActiveTeacher>,
}

impl CourseEntry {
    /// The Student-Teachers `student_id` may book: all but themself, if they also teach.
    pub fn teachers_for(&self, student_id: i32) -> Vec<TeacherCard> {
        self.bookable_by(student_id).map(|t| t.card.clone()).collect()
    }

    /// The same, with the users who teach.
    pub fn bookable_by(&self, student_id: i32) -> impl Iterator<Item = &ActiveTeacher> {
        self.teachers.iter().filter(move |t| t.person.id != student_id)
    }

    /// The active Student-Teacher of this course who is the user `teacher_id`.
    pub fn teacher_by_user(&self, teacher_id: i32) -> Option<&TeacherCard> {
        self.teachers.iter().find(|t| t.person.id == teacher_id).map(|t| &t.card)
    }
}

#[derive(Clone)]
pub struct Catalog {
    courses: Cache<i32, Arc<CourseEntry>>,
    /// Each Student-Teacher's course (a row never changes course).
    course_of: Cache<StId, i32>,
    /// Students known to be enrolled, by course. Only a yes is kept: a student who enrolls
    /// now must be able to book now.
    enrolled: Cache<(i32, i32), ()>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self { courses: fresh(), course_of: fresh(), enrolled: fresh() }
    }
}

fn fresh<K: std::hash::Hash + Eq + Send + Sync + 'static, V: Clone + Send + Sync + 'static>() -> Cache<K, V> {
    Cache::builder().max_capacity(CAPACITY).time_to_live(FRESH_FOR).build()
}

impl Catalog {
    /// The course with its active Student-Teachers; concurrent first readers share one load.
    pub async fn course(&self, db: &DatabaseConnection, course_id: i32) -> Result<Arc<CourseEntry>, AppError> {
        self.courses
            .try_get_with(course_id, async {
                let course = find_course(db, course_id).await?;
                let teachers = active_teachers(db, course_id).await?;
                Ok::<_, AppError>(Arc::new(CourseEntry { course, teachers }))
            })
            .await
            .map_err(|error| (*error).clone())
    }

    /// Whether the student is enrolled in the course; concurrent first readers share one query.
    pub async fn is_enrolled(&self, db: &DatabaseConnection, student_id: i32, course_id: i32) -> Result<bool, AppError> {
        let known = self
            .enrolled
            .try_get_with((student_id, course_id), async {
                match is_enrolled(db, student_id, course_id).await? {
                    true => Ok(()),
                    // Not kept, as no error is.
                    false => Err(AppError::NotEnrolled),
                }
            })
            .await;
        match known {
            Ok(()) => Ok(true),
            Err(error) if *error == AppError::NotEnrolled => Ok(false),
            Err(error) => Err((*error).clone()),
        }
    }

    /// The course, if the student is enrolled in it; else `NotEnrolled`.
    pub async fn enrolled_course(
        &self,
        db: &DatabaseConnection,
        student: &user::Model,
        course_id: i32,
    ) -> Result<Arc<CourseEntry>, AppError> {
        let entry = self.course(db, course_id).await?;
        if !self.is_enrolled(db, student.id, course_id).await? {
            return Err(AppError::NotEnrolled);
        }
        Ok(entry)
    }

    /// A Student-Teacher the student may book, as `bookable::bookable` finds one: active, not
    /// the student, in a course the student is enrolled in.
    pub async fn bookable(&self, db: &DatabaseConnection, student: &user::Model, st_id: StId) -> Result<Bookable, AppError> {
        let not_found = || AppError::NotFound(Subject::StudentTeacher);
        let course_id = self
            .course_of
            .try_get_with(st_id, async {
                let st = student_teacher::Entity::find_by_id(st_id.0).one(db).await?.ok_or_else(not_found)?;
                Ok::<_, AppError>(st.course_id)
            })
            .await
            .map_err(|error| (*error).clone())?;
        let entry = self.course(db, course_id).await?;
        let teacher = entry.teachers.iter().find(|t| t.card.st_id == st_id).ok_or_else(not_found)?;
        if teacher.person.id == student.id {
            return Err(super::queries::booking_yourself());
        }
        if !self.is_enrolled(db, student.id, course_id).await? {
            return Err(AppError::NotEnrolled);
        }
        Ok(Bookable { st: teacher.st.clone(), teacher: teacher.person.clone(), course: entry.course.clone(), moving: None })
    }

    /// The Student-Teacher to book with, as [`Catalog::bookable`] finds them, or, when
    /// `reschedule` names one of the student's sessions, the same one as that session's, with
    /// the session to be moved.
    pub async fn bookable_for(
        &self,
        db: &DatabaseConnection,
        student: &user::Model,
        st_id: StId,
        reschedule: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<Bookable, AppError> {
        let b = self.bookable(db, student, st_id).await?;
        let Some(session_id) = reschedule else { return Ok(b) };
        let moving = movable(db, student, session_id, now).await?;
        if moving.teacher_id != b.teacher.id || moving.course_id != b.course.id {
            return Err(AppError::NotFound(Subject::Session));
        }
        Ok(Bookable { moving: Some(moving), ..b })
    }
}
