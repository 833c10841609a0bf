//! What the engine returns, and its JSON shape (the contract's result format).
//!
//! Slots hold plain chrono values; their text labels are produced by small `Display` types
//! only when shown or serialized, so computing a month of slots formats nothing.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// Why a slot that is listed cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// The student has another session overlapping it.
    StudentBusy,
}

/// One start time, with its labels in the viewer's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The viewer-local date of `start`.
    pub local_date: NaiveDate,
    /// The viewer-local time of day of `start`.
    pub local_start: NaiveTime,
    /// The viewer-local time of day of `end` (possibly on the next date).
    pub local_end: NaiveTime,
    /// The viewer's UTC offset at `start`, in seconds east of UTC.
    pub utc_offset_seconds: i32,
    pub conflict: Option<Conflict>,
}

impl Slot {
    /// Whether the student may book it (it has no conflict).
    pub fn is_bookable(&self) -> bool {
        self.conflict.is_none()
    }

    /// `local_start` as `HH:MM`.
    pub fn local_start_label(&self) -> ClockLabel {
        ClockLabel(self.local_start)
    }

    /// `local_end` as `HH:MM`.
    pub fn local_end_label(&self) -> ClockLabel {
        ClockLabel(self.local_end)
    }

    /// The offset at `start` as `+HH:MM` / `-HH:MM`.
    pub fn utc_offset_label(&self) -> OffsetLabel {
        OffsetLabel(self.utc_offset_seconds)
    }
}

/// The result of [`compute_slots`](super::compute_slots).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SlotResult {
    /// Sorted by start, each start once; includes slots marked with a conflict.
    pub slots: Vec<Slot>,
    /// Sorted viewer-local dates that have at least one slot without a conflict.
    pub days: Vec<NaiveDate>,
    /// The start of the first slot without a conflict.
    #[serde(serialize_with = "serialize_optional_instant")]
    pub next_available: Option<DateTime<Utc>>,
}

/// Why [`check_slot`](super::check_slot) refuses a start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotRejection {
    /// Not a start the engine offers: outside the tutor's hours, taken, too soon, too far
    /// ahead, or off the step grid.
    #[error("This time is not available.")]
    Unavailable,
    /// Offered, but it overlaps one of the student's own sessions.
    #[error("You have another session at this time.")]
    StudentBusy,
}

/// A wall-clock time as `HH:MM` (with `:SS` only for the historical offsets that had seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockLabel(pub NaiveTime);

impl fmt::Display for ClockLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())?;
        match self.0.second() {
            0 => Ok(()),
            s => write!(f, ":{s:02}"),
        }
    }
}

/// A UTC offset as `+HH:MM` / `-HH:MM` (with `:SS` only when it has seconds, as some
/// historical local mean times did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetLabel(pub i32);

impl fmt::Display for OffsetLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", abs / 3600, abs / 60 % 60)?;
        match abs % 60 {
            0 => Ok(()),
            s => write!(f, ":{s:02}"),
        }
    }
}

/// RFC 3339 in UTC with a `Z` and whole seconds, e.g. `2026-03-08T06:00:00Z`.
struct InstantLabel(DateTime<Utc>);

impl fmt::Display for InstantLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

fn serialize_optional_instant<S: Serializer>(instant: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    instant.map(|t| Collected(InstantLabel(t))).serialize(serializer)
}

impl Serialize for Slot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Slot", 7)?;
        s.serialize_field("start", &Collected(InstantLabel(self.start)))?;
        s.serialize_field("end", &Collected(InstantLabel(self.end)))?;
        s.serialize_field("local_date", &self.local_date)?;
        s.serialize_field("local_start", &Collected(self.local_start_label()))?;
        s.serialize_field("local_end", &Collected(self.local_end_label()))?;
        s.serialize_field("utc_offset", &Collected(self.utc_offset_label()))?;
        s.serialize_field("conflict", &self.conflict)?;
        s.end()
    }
}

/// Serializes a `Display` value as a string without building one first.
struct Collected<T>(T);

impl<T: fmt::Display> Serialize for Collected<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let time = |h, m, s| ClockLabel(NaiveTime::from_hms_opt(h, m, s).unwrap()).to_string();
        assert_eq!(time(7, 5, 0), "07:05");
        assert_eq!(time(23, 59, 30), "23:59:30");
        assert_eq!(OffsetLabel(0).to_string(), "+00:00");
        assert_eq!(OffsetLabel(5 * 3600 + 45 * 60).to_string(), "+05:45");
        assert_eq!(OffsetLabel(-(3 * 3600 + 30 * 60)).to_string(), "-03:30");
        assert_eq!(OffsetLabel(-(44 * 60 + 30)).to_string(), "-00:44:30");
    }
}
