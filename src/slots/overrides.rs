//! Time off in a Student-Teacher's own words ("off from 23 to 27 December", "on 24 December
//! only 10:00–12:00"), turned into rule 2's instants: the whole of those dates in their
//! timezone as time off, and the hours they keep as extra hours.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::local_time::{resolve, Edge};
use super::{Interval, LocalTime};

/// Whole dates off from `first` to `last` inclusive or, with `keep`, one date on which only
/// those hours apply instead of the weekly ones. Dates and times are wall-clock in `timezone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOverride {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub keep: Option<(LocalTime, LocalTime)>,
    pub timezone: Tz,
}

/// What a [`DateOverride`] gives the slot engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverrideSpans {
    pub time_off: Interval,
    pub extra: Option<Interval>,
}

impl DateOverride {
    /// The dates run from the first instant of `first` to the last of `last`, which is why a
    /// repeated midnight counts from its earlier instant and a date's end from its later one
    /// (rule 1's resolution); a date of 23 or 25 hours is off for all of them. `None` only at
    /// the end of chrono's calendar.
    pub fn spans(&self) -> Option<OverrideSpans> {
        let at = |date, time, edge| resolve(self.timezone, date, time, edge);
        let time_off =
            Interval { start: at(self.first, LocalTime::MIDNIGHT, Edge::Start)?, end: at(self.last, LocalTime::END_OF_DAY, Edge::End)? };
        let extra = match self.keep {
            None => None,
            Some((start, end)) => Some(Interval { start: at(self.first, start, Edge::Start)?, end: at(self.first, end, Edge::End)? }),
        };
        Some(OverrideSpans { time_off, extra })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(start: &str, end: &str) -> Interval {
        Interval { start: start.parse().unwrap(), end: end.parse().unwrap() }
    }

    #[test]
    fn whole_dates_run_from_the_first_midnight_to_the_midnight_after_the_last() {
        let off = DateOverride { first: date("2026-12-23"), last: date("2026-12-27"), keep: None, timezone: chrono_tz::Asia::Kolkata };
        assert_eq!(off.spans().unwrap(), OverrideSpans { time_off: span("2026-12-22T18:30:00Z", "2026-12-27T18:30:00Z"), extra: None });
    }

    #[test]
    fn a_date_on_which_clocks_change_is_off_for_all_its_hours() {
        // New York, 2026-11-01 has 25 hours; 2026-03-08 has 23.
        let tz = chrono_tz::America::New_York;
        let long = DateOverride { first: date("2026-11-01"), last: date("2026-11-01"), keep: None, timezone: tz };
        assert_eq!(long.spans().unwrap().time_off, span("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"));
        let kept = (LocalTime::from_hm(1, 30).unwrap(), LocalTime::from_hm(3, 0).unwrap());
        let short = DateOverride { first: date("2026-03-08"), last: date("2026-03-08"), keep: Some(kept), timezone: tz };
        let spans = short.spans().unwrap();
        assert_eq!(spans.time_off, span("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
        // 01:30 EST to 03:00 EDT: half an hour of real time.
        assert_eq!(spans.extra, Some(span("2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z")));
    }

    #[test]
    fn a_repeated_midnight_starts_the_date_at_its_earlier_instant() {
        // Havana, 2025-11-02: 00:00–01:00 happens twice (-4, then -5).
        let off = DateOverride { first: date("2025-11-02"), last: date("2025-11-02"), keep: None, timezone: chrono_tz::America::Havana };
        assert_eq!(off.spans().unwrap().time_off, span("2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z"));
    }
}
