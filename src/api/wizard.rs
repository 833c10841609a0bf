//! The booking wizard's steps after the first (booking contract §1–2): each loads its own data,
//! and each choice is a post that records its analytics event once and moves to the next step.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{availability::SlotView, Avatar, TeacherCard};
use crate::error::AppError;

/// Step 2: which days of a month have a bookable time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthDays {
    /// `YYYY-MM`, in the student's timezone.
    pub month: String,
    /// The student's today, `YYYY-MM-DD`.
    pub today: String,
    /// Dates of the month with at least one bookable time.
    pub days: Vec<String>,
    /// The first bookable time from now on, in any month.
    pub next_available: Option<SlotView>,
    /// Neighbouring months worth visiting (none before this month or past the horizon).
    pub prev_month: Option<String>,
    pub next_month: Option<String>,
    pub timezone_label: String,
}

/// Step 3: a date's times, bookable or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayTimes {
    pub date: String,
    /// "Tuesday, December 1, 2026"
    pub date_label: String,
    pub slots: Vec<SlotView>,
    pub session_minutes: i32,
    pub timezone_label: String,
    /// Set when the student's or the tutor's clocks change on this date.
    pub clock_changes: Vec<String>,
}

/// A session as the confirm step and the confirmation screen both show it, in the student's
/// timezone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub course_title: String,
    pub teacher_name: String,
    pub teacher_avatar: Avatar,
    /// "Tuesday, December 1, 2026"
    pub date_label: String,
    /// "9:00 AM – 10:00 AM EST"
    pub time_label: String,
    pub session_minutes: i32,
}

/// Step 4: what the student is about to book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmView {
    pub course_id: i32,
    pub teacher: TeacherCard,
    pub summary: SessionSummary,
    pub date: String,
    /// RFC 3339 UTC, as the slot's start.
    pub start: String,
    /// The same time on the tutor's clock, when it differs.
    pub tutor_time: Option<String>,
    pub timezone_label: String,
    /// Made once per confirm screen, so a retry books once.
    pub idempotency_key: String,
}

/// The confirmation screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookedView {
    pub session_id: i32,
    pub course_id: i32,
    pub summary: SessionSummary,
    pub google_url: String,
    pub outlook_url: String,
    /// Where to meet: the session's video room.
    pub video_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booked {
    pub session_id: i32,
}

/// Step 1: each active tutor's first bookable time (tutors with none are left out).
#[server(endpoint = "load_next_times")]
pub async fn load_next_times(course_id: i32) -> Result<Vec<SlotView>, AppError> {
    use crate::server::{
        availability::next_by_tutor,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    next_by_tutor(&state.db, &state.settings.booking, &student, course_id, chrono::Utc::now()).await
}

#[server(endpoint = "load_month_days")]
pub async fn load_month_days(st_id: i32, month: Option<String>) -> Result<MonthDays, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let tutor = wizard::bookable(&state.db, &student, st_id).await?;
    wizard::month_days(&state.db, &state.settings.booking, &student, &tutor, month.as_deref(), chrono::Utc::now()).await
}

#[server(endpoint = "load_day_times")]
pub async fn load_day_times(st_id: i32, date: String) -> Result<DayTimes, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let tutor = wizard::bookable(&state.db, &student, st_id).await?;
    wizard::day_times(&state.db, &state.settings.booking, &student, &tutor, &date, chrono::Utc::now()).await
}

/// "This Week": the bookable times of the next seven days, by date.
#[server(endpoint = "load_week_times")]
pub async fn load_week_times(st_id: i32) -> Result<Vec<DayTimes>, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let tutor = wizard::bookable(&state.db, &student, st_id).await?;
    wizard::week_times(&state.db, &state.settings.booking, &student, &tutor, chrono::Utc::now()).await
}

#[server(endpoint = "load_confirm")]
pub async fn load_confirm(st_id: i32, start: String) -> Result<ConfirmView, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let tutor = wizard::bookable(&state.db, &student, st_id).await?;
    wizard::confirm_view(&state.db, &state.settings.booking, &student, &tutor, &start, chrono::Utc::now()).await
}

/// Step 2's choice: records `date_selected` and shows the date's times. `page` is the booking
/// page the choice was made on (either entry route), where the student continues.
#[server(endpoint = "select_date")]
pub async fn select_date(st_id: i32, date: String, page: String) -> Result<(), AppError> {
    use crate::server::{
        analytics::Event,
        availability::parse_date,
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    wizard::bookable(&state.db, &student, st_id).await?;
    let day = parse_date(&date)?;
    let links = crate::pages::booking::links::StepLinks::for_page(&page, st_id)?;
    state.analytics.record(Some(student.id), Event::DateSelected { date: day.to_string() }, chrono::Utc::now());
    leptos_axum::redirect(&links.time(&day.to_string()));
    Ok(())
}

/// Step 3's choice: records `time_selected` and shows the confirmation step.
#[server(endpoint = "select_time")]
pub async fn select_time(st_id: i32, start: String, page: String) -> Result<(), AppError> {
    use crate::server::{
        analytics::Event,
        availability::parse_start,
        request::{app_state, require_student},
        views, wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    wizard::bookable(&state.db, &student, st_id).await?;
    let at = parse_start(&start)?;
    let date = at.with_timezone(&views::parse_timezone(&student.timezone)).date_naive().to_string();
    let links = crate::pages::booking::links::StepLinks::for_page(&page, st_id)?;
    let start = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state.analytics.record(Some(student.id), Event::TimeSelected { time: start.clone(), st_id }, chrono::Utc::now());
    leptos_axum::redirect(&links.confirm(&date, &start));
    Ok(())
}

/// Books a session (booking contract §2): one transaction, re-checked by the slot engine.
/// A plain form post goes on to the confirmation screen; errors come back to the page.
#[server(endpoint = "book_session")]
pub async fn book_session(
    st_id: i32,
    start: String,
    reminders: Option<bool>,
    note: Option<String>,
    idempotency_key: String,
) -> Result<Booked, AppError> {
    use crate::server::{
        booking,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    let request = booking::BookingRequest::parse(st_id, &start, reminders.unwrap_or(false), note, &idempotency_key)?;
    let session_id = booking::book(&state, &student, &request, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/sessions/{session_id}/booked"));
    Ok(Booked { session_id })
}

#[server(endpoint = "load_booked")]
pub async fn load_booked(session_id: i32) -> Result<BookedView, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    wizard::booked_view(&state.db, &student, session_id).await
}
