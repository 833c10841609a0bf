//! Courses and their active Student-Teachers, as pages show them. They change only when an
//! operator edits them, yet every booking and course page reads them: a bounded cache that
//! forgets each entry after a few seconds saves three queries a page. Pages alone read it; a
//! booking re-reads what it relies on inside its own transaction.
use moka::future::Cache;
use sea_orm::DatabaseConnection;
use std::{sync::Arc, time::Duration};

use super::queries::{active_teachers, find_course};
use crate::{dto::TeacherCard, entities::course, error::AppError};

/// How long a course's entry is shown before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Courses kept at most; the least recently used go first.
const CAPACITY: u64 = 1_000;

#[derive(Debug)]
pub struct CourseEntry {
    pub course: course::Model,
    /// Active Student-Teachers, best rated first, each with the user who teaches.
    teachers: Vec<(i32, TeacherCard)>,
}

impl CourseEntry {
    /// The Student-Teachers `student_id` may book: all but themself, if they also teach.
    pub fn teachers_for(&self, student_id: i32) -> Vec<TeacherCard> {
        self.teachers.iter().filter(|(teacher, _)| *teacher != student_id).map(|(_, card)| card.clone()).collect()
    }

    /// The active Student-Teacher of this course who is the user `teacher_id`.
    pub fn teacher_by_user(&self, teacher_id: i32) -> Option<&TeacherCard> {
        self.teachers.iter().find(|(teacher, _)| *teacher == teacher_id).map(|(_, card)| card)
    }
}

#[derive(Clone)]
pub struct Catalog {
    courses: Cache<i32, Arc<CourseEntry>>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self { courses: Cache::builder().max_capacity(CAPACITY).time_to_live(FRESH_FOR).build() }
    }
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
}
