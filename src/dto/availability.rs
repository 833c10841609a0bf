//! A month of bookable times, as `load_availability` sends it.
use serde::{Deserialize, Serialize};

use super::StId;

/// A start time as the page shows it; labels are made on the server, in the student's
/// timezone, so that timezone data stays out of the browser bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotView {
    pub st_id: StId,
    /// RFC 3339, UTC: what the page sends back to book it.
    pub start: String,
    /// The student's local date, `YYYY-MM-DD`.
    pub local_date: String,
    /// "9:00 AM"
    pub start_label: String,
    /// "10:00 AM"
    pub end_label: String,
    /// False when it overlaps one of the student's own sessions.
    pub bookable: bool,
}

/// A month of a course's availability for the logged-in student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthAvailability {
    /// `YYYY-MM`
    pub month: String,
    /// The student's IANA timezone, in which dates and labels are given.
    pub timezone: String,
    /// Dates of the month with at least one bookable slot.
    pub days: Vec<String>,
    /// Every slot of the month, sorted by start (then Student-Teacher).
    pub slots: Vec<SlotView>,
    /// The first bookable slot from now to the booking horizon, in any month.
    pub next_available: Option<SlotView>,
    pub session_minutes: i32,
}
