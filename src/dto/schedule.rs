//! A Student-Teacher's schedule page (`/teach/schedule`): their weekly hours and time off.
use serde::{Deserialize, Serialize};

use super::{settings::TimezoneChoice, teaching::TaughtSession};

/// One weekday's hours as the form shows and takes them: "09:00–12:00, 14:00–17:00".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayHours {
    /// ISO, 1 = Monday.
    pub day: u8,
    pub name: String,
    pub ranges: String,
}

/// One entry of time off, in the Student-Teacher's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeOffView {
    pub id: i32,
    /// "Thursday, December 24, 2026" or "December 23 – December 27, 2026".
    pub dates_label: String,
    /// "Only 10:00–12:00" for a date override; `None` for whole dates off.
    pub hours_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// The timezone of the weekly hours and of time off's dates (IANA name).
    pub timezone: String,
    pub timezone_label: String,
    pub choices: Vec<TimezoneChoice>,
    /// Monday first, all seven.
    pub days: Vec<DayHours>,
    /// Today's and later entries, soonest first.
    pub time_off: Vec<TimeOffView>,
    /// Upcoming sessions inside time off: not cancelled by it, listed to cancel or keep.
    pub clashes: Vec<TaughtSession>,
    /// Today in `timezone`, the earliest date time off may start (`YYYY-MM-DD`).
    pub today: String,
}

/// `add_time_off`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOffAdded {
    pub id: i32,
}
