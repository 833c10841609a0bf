//! A Student-Teacher's weekly hours and time off (docs/booking-contract.md §10). Only the
//! Student-Teacher changes their own: 401 without a login, 403 for a student.
// `save_weekly_hours` takes one field per weekday, as the form posts them; `#[server]` writes
// the client's function from it, where an allow on the item does not reach.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::{
    dto::schedule::{Schedule, TimeOffAdded},
    error::AppError,
};

#[server(endpoint = "load_schedule")]
pub async fn load_schedule() -> Result<Schedule, AppError> {
    use crate::server::{
        request::{app_state, require_teacher},
        schedule,
    };
    let (state, teacher) = (app_state()?, require_teacher()?);
    schedule::schedule(&state.db, &teacher, chrono::Utc::now()).await
}

/// Replaces the weekly hours with one text of ranges per weekday ("09:00–12:00, 14:00–17:00",
/// empty for none) in `timezone`.
#[server(endpoint = "save_weekly_hours")]
pub async fn save_weekly_hours(
    timezone: String,
    monday: String,
    tuesday: String,
    wednesday: String,
    thursday: String,
    friday: String,
    saturday: String,
    sunday: String,
) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_teacher},
        schedule,
    };
    let (state, teacher) = (app_state()?, require_teacher()?);
    let days = [&monday, &tuesday, &wednesday, &thursday, &friday, &saturday, &sunday].map(String::as_str);
    schedule::save_weekly_hours(&state, &teacher, &timezone, days).await?;
    leptos_axum::redirect("/teach/schedule?saved=hours");
    Ok(())
}

/// Takes the dates `from` to `to` (inclusive; `to` empty for one date) off or, with `start` and
/// `end`, keeps only those hours on the one date `from`.
#[server(endpoint = "add_time_off")]
pub async fn add_time_off(
    from: String,
    #[server(default)] to: String,
    #[server(default)] start: String,
    #[server(default)] end: String,
) -> Result<TimeOffAdded, AppError> {
    use crate::server::{
        request::{app_state, require_teacher},
        schedule,
    };
    let (state, teacher) = (app_state()?, require_teacher()?);
    let request = schedule::TimeOffRequest { from, to, start, end };
    let id = schedule::add_time_off(&state, &teacher, &request, chrono::Utc::now()).await?;
    leptos_axum::redirect("/teach/schedule?saved=time_off");
    Ok(TimeOffAdded { id })
}

#[server(endpoint = "remove_time_off")]
pub async fn remove_time_off(id: i32) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_teacher},
        schedule,
    };
    let (state, teacher) = (app_state()?, require_teacher()?);
    schedule::remove_time_off(&state, &teacher, id).await?;
    leptos_axum::redirect("/teach/schedule?saved=removed");
    Ok(())
}
