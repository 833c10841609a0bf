//! The booking wizard's steps after the first (docs/booking-contract.md §1–2): each loads its own data,
//! and each choice is a post that records its analytics event once and moves to the next step.
use crate::{
    dto::{
        availability::SlotView,
        wizard::{Booked, ConfirmView, DayTimes, HoldAnswer, MonthDays, MonthTimes},
        StId,
    },
    error::AppError,
};
use leptos::prelude::*;

/// Step 1: each active tutor's first bookable time (tutors with none are left out).
#[server(endpoint = "load_next_times")]
pub async fn load_next_times(course_id: i32) -> Result<Vec<SlotView>, AppError> {
    use crate::server::{
        availability::next_by_tutor,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    next_by_tutor(&state, &student, course_id, chrono::Utc::now()).await
}

#[server(endpoint = "load_month_days")]
pub async fn load_month_days(st_id: StId, month: Option<String>, reschedule: Option<i32>) -> Result<MonthDays, AppError> {
    Ok(load_month_times(st_id, month, reschedule).await?.month)
}

/// A month's days with each date's times, so the calendar answers a date in the browser.
#[server(endpoint = "load_month_times")]
pub async fn load_month_times(st_id: StId, month: Option<String>, reschedule: Option<i32>) -> Result<MonthTimes, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let now = chrono::Utc::now();
    let tutor = state.catalog.bookable_for(&state.db, &student, st_id, reschedule, now).await?;
    wizard::month_times(&state, &student, &tutor, month.as_deref(), now).await
}

#[server(endpoint = "load_day_times")]
pub async fn load_day_times(st_id: StId, date: String, reschedule: Option<i32>) -> Result<DayTimes, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let now = chrono::Utc::now();
    let tutor = state.catalog.bookable_for(&state.db, &student, st_id, reschedule, now).await?;
    wizard::day_times(&state.db, &state.settings.booking, &student, &tutor, &date, now).await
}

/// "This Week": the bookable times of the next seven days, by date.
#[server(endpoint = "load_week_times")]
pub async fn load_week_times(st_id: StId, reschedule: Option<i32>) -> Result<Vec<DayTimes>, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let now = chrono::Utc::now();
    let tutor = state.catalog.bookable_for(&state.db, &student, st_id, reschedule, now).await?;
    wizard::week_times(&state.db, &state.settings.booking, &student, &tutor, now).await
}

#[server(endpoint = "load_confirm")]
pub async fn load_confirm(st_id: StId, start: String, reschedule: Option<i32>) -> Result<ConfirmView, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let now = chrono::Utc::now();
    let tutor = state.catalog.bookable_for(&state.db, &student, st_id, reschedule, now).await?;
    wizard::confirm_view(&state, &student, &tutor, &start, now).await
}

/// Renews the hold the confirm step placed on its time (docs/booking-contract.md §9).
#[server(endpoint = "hold_time")]
pub async fn hold_time(st_id: StId, start: String, reschedule: Option<i32>) -> Result<HoldAnswer, AppError> {
    use crate::server::{
        holds,
        input::parse_start,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    let (now, start) = (chrono::Utc::now(), parse_start(&start)?);
    let tutor = state.catalog.bookable_for(&state.db, &student, st_id, reschedule, now).await?;
    let held = holds::hold(&state, &student, &tutor, start, now).await?;
    Ok(HoldAnswer { hold_seconds: (held.expires_at - now).num_seconds() })
}

/// Ends the student's hold: they went back, or left the confirm step of `start` (when given,
/// only a hold of that time ends).
#[server(endpoint = "release_hold")]
pub async fn release_hold(start: Option<String>) -> Result<(), AppError> {
    use crate::server::{
        holds,
        input::parse_start,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    let start = start.as_deref().map(parse_start).transpose()?;
    holds::release(&state, &student, start, chrono::Utc::now()).await
}

/// Step 2's choice: records `date_selected` and shows the date's times. `page` is the booking
/// page the choice was made on (either entry route), where the student continues.
#[server(endpoint = "select_date")]
pub async fn select_date(st_id: StId, date: String, page: String, reschedule: Option<i32>) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let choice = wizard::Choice { st_id, value: &date, page: &page, reschedule };
    let next = wizard::select_date(&state, &student, choice, chrono::Utc::now()).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// Step 3's choice: records `time_selected` and shows the confirmation step.
#[server(endpoint = "select_time")]
pub async fn select_time(st_id: StId, start: String, page: String, reschedule: Option<i32>) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let choice = wizard::Choice { st_id, value: &start, page: &page, reschedule };
    let next = wizard::select_time(&state, &student, choice, chrono::Utc::now()).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// Books a session (docs/booking-contract.md §2): one transaction, re-checked by the slot engine.
/// A plain form post goes on to the confirmation screen; errors come back to the page.
#[server(endpoint = "book_session")]
pub async fn book_session(
    st_id: StId,
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
    let booked = booking::book(&state, &student, &request, chrono::Utc::now()).await?;
    // The session's page shows its payment step while it awaits payment.
    leptos_axum::redirect(&format!("/sessions/{}/booked", booked.session_id));
    Ok(booked)
}
