//! The student's settings (docs/booking-contract.md §6): the timezone times are shown in, and
//! the other devices signed in.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::{auth, config::ServerSettings, timezones::timezone_choices};
use crate::{dto::settings::Settings, entities::user, error::AppError};

/// The settings page of `student`, asking from the login session `keep`.
pub async fn settings(
    db: &DatabaseConnection,
    server: &ServerSettings,
    student: &user::Model,
    keep: i32,
    now: DateTime<Utc>,
) -> Result<Settings, AppError> {
    let other_devices = auth::count_other_sessions(db, student.id, keep, server.session_idle(), now).await?;
    Ok(Settings { choices: timezone_choices(&student.timezone), timezone: student.timezone.clone(), other_devices })
}

/// Stores the student's timezone after checking it is one the IANA database knows.
pub async fn set_timezone(db: &DatabaseConnection, student: &user::Model, timezone: &str) -> Result<(), AppError> {
    let zone: Tz = timezone.parse().map_err(|_| AppError::invalid("timezone", "Choose a timezone from the list."))?;
    let mut row: user::ActiveModel = student.clone().into();
    row.timezone = Set(zone.name().to_owned());
    row.update(db).await?;
    Ok(())
}
