//! The slot engine: which start times a student may book with a tutor.
//!
//! `docs/slot-rules.md` is the contract. [`compute_slots`] is the one function that applies
//! it: the page listing slots calls it, and so does [`check_slot`], which the booking
//! transaction uses, so that listing and committing can never disagree. [`run_case`] reads and
//! writes the contract's JSON case format for support staff and the golden tests.
//!
//! The engine is pure: it is given `now` and every timezone, and reads no clock.

mod case;
mod engine;
mod local_time;
mod overrides;
mod slot;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub use case::{run_case, CaseError};
pub use engine::{check_slot, compute_slots};
pub use local_time::{LocalTime, LocalTimeError};
pub use overrides::{DateOverride, OverrideSpans};
pub use slot::{ClockLabel, Conflict, OffsetLabel, Slot, SlotRejection, SlotResult};

/// How a course's sessions are laid out. All fields are minutes except `horizon_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub duration_minutes: i64,
    pub step_minutes: i64,
    pub buffer_minutes: i64,
    pub minimum_notice_minutes: i64,
    pub horizon_days: i64,
}

/// A [`Policy`] field that is out of bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct PolicyError {
    /// The field's name, e.g. `step_minutes`.
    pub field: &'static str,
    pub problem: String,
}

impl Policy {
    /// The largest value of a `*_minutes` field: a year (366 days).
    pub const MAX_MINUTES: i64 = 366 * 24 * 60;
    /// The largest `horizon_days`: about ten years.
    pub const MAX_HORIZON_DAYS: i64 = 3660;

    /// Checks that every field is within bounds: none negative, a session and a step at least a
    /// minute long (a zero step would never advance), and none so large that it means nothing.
    /// [`compute_slots`] returns no slot for a policy that fails this.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let fields = [
            ("duration_minutes", self.duration_minutes, 1, Self::MAX_MINUTES),
            ("step_minutes", self.step_minutes, 1, Self::MAX_MINUTES),
            ("buffer_minutes", self.buffer_minutes, 0, Self::MAX_MINUTES),
            ("minimum_notice_minutes", self.minimum_notice_minutes, 0, Self::MAX_MINUTES),
            ("horizon_days", self.horizon_days, 0, Self::MAX_HORIZON_DAYS),
        ];
        for (field, value, min, max) in fields {
            let problem = if value < 0 {
                "must not be negative".to_owned()
            } else if value < min {
                format!("must be at least {min}")
            } else if value > max {
                format!("must be at most {max}")
            } else {
                continue;
            };
            return Err(PolicyError { field, problem });
        }
        Ok(())
    }
}

/// Weekly availability: every `day_of_week` (1 = Monday … 7 = Sunday, ISO) from `start` to
/// `end`, wall-clock times in `timezone`.
///
/// A rule whose `day_of_week` is outside 1..=7 or whose `end` is not after `start` yields no
/// window; the case format refuses such rules outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyRule {
    pub day_of_week: u8,
    pub start: LocalTime,
    pub end: LocalTime,
    pub timezone: Tz,
}

/// A half-open span of time `[start, end)`, e.g. an existing session. One whose `end` is
/// before its `start` is not a session and is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Everything [`compute_slots`] needs; see the contract's table of inputs.
#[derive(Debug, Clone, Copy)]
pub struct SlotQuery<'a> {
    pub now: DateTime<Utc>,
    /// The student's timezone: slots are grouped into its dates and labelled in it.
    pub viewer_timezone: Tz,
    /// First date of the range, in the viewer's timezone, inclusive.
    pub from: NaiveDate,
    /// Last date of the range, in the viewer's timezone, inclusive.
    pub to: NaiveDate,
    pub policy: &'a Policy,
    pub rules: &'a [WeeklyRule],
    /// When the weekly rules do not apply: holidays, days off, the hours a date override
    /// replaces (rule 2). Taken outwards to whole seconds.
    pub time_off: &'a [Interval],
    /// Hours outside the weekly rules, e.g. a date override's own hours; time off never cuts
    /// them (rule 2). Taken inwards to whole seconds.
    pub extra: &'a [Interval],
    /// The tutor's existing sessions.
    pub busy: &'a [Interval],
    /// The student's own existing sessions, with any tutor.
    pub student_busy: &'a [Interval],
}
