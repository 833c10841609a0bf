//! Wall-clock times of weekly rules, and their resolution into instants (contract rule 1).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};

/// A validated `HH:MM` wall-clock time from `00:00` to `24:00` inclusive.
///
/// `24:00` is kept distinct from `00:00` because a rule ending at `24:00` on a date ends at
/// midnight of the *next* date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(u16);

impl LocalTime {
    pub const MIDNIGHT: LocalTime = LocalTime(0);
    pub const END_OF_DAY: LocalTime = LocalTime(24 * 60);

    /// `None` unless `minutes` is in `0..=1440`.
    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= Self::END_OF_DAY.0).then_some(LocalTime(minutes))
    }

    pub fn from_hm(hour: u16, minute: u16) -> Option<Self> {
        if minute < 60 {
            Self::from_minutes(hour.checked_mul(60)?.checked_add(minute)?)
        } else {
            None
        }
    }

    /// Minutes since midnight, `0..=1440`.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The local date and time this denotes on `date` (`24:00` rolls over to the next date);
    /// `None` only at the end of chrono's calendar.
    fn on(self, date: NaiveDate) -> Option<NaiveDateTime> {
        if self == Self::END_OF_DAY {
            Some(date.succ_opt()?.and_time(NaiveTime::MIN))
        } else {
            let time = NaiveTime::from_hms_opt(u32::from(self.0 / 60), u32::from(self.0 % 60), 0)?;
            Some(date.and_time(time))
        }
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a time HH:MM from 00:00 to 24:00, got \"{0}\"")]
pub struct LocalTimeError(String);

impl FromStr for LocalTime {
    type Err = LocalTimeError;

    /// Exactly two digits, a colon, two digits: lenient forms such as `9:00` are refused so
    /// that a typo in a rule is caught rather than guessed at.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || LocalTimeError(s.to_owned());
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' || ![b[0], b[1], b[3], b[4]].iter().all(u8::is_ascii_digit) {
            return Err(error());
        }
        let two = |i: usize| u16::from(b[i] - b'0') * 10 + u16::from(b[i + 1] - b'0');
        Self::from_hm(two(0), two(3)).ok_or_else(error)
    }
}

/// Which end of a window a local time stands for: it decides the instant picked when the
/// local time occurs twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Start,
    End,
}

/// The instant of `time` on `date` in `tz`: a nonexistent local time maps to the instant of the
/// jump over it, a repeated one to its earlier instant for a start and its later one for an end.
/// `None` only at the end of chrono's calendar.
pub(crate) fn resolve(tz: Tz, date: NaiveDate, time: LocalTime, edge: Edge) -> Option<DateTime<Utc>> {
    let local = time.on(date)?;
    let resolved = match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t,
        LocalResult::Ambiguous(earlier, later) => match edge {
            Edge::Start => earlier,
            Edge::End => later,
        },
        // chrono-tz knows its transitions exactly: the end of the gap is the first instant of
        // the new offset, i.e. the jump, however long the gap (Pacific/Apia skipped a day).
        LocalResult::None => GapInfo::new(&local, &tz)?.end?,
    };
    Some(resolved.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalTime {
        s.parse().unwrap()
    }

    fn at(tz: Tz, date: &str, time: &str, edge: Edge) -> String {
        let date: NaiveDate = date.parse().unwrap();
        resolve(tz, date, t(time), edge).unwrap().to_rfc3339()
    }

    #[test]
    fn parses_and_prints_hh_mm() {
        assert_eq!(t("00:00"), LocalTime::MIDNIGHT);
        assert_eq!(t("24:00"), LocalTime::END_OF_DAY);
        assert_eq!(t("09:05").minutes(), 9 * 60 + 5);
        assert_eq!(t("23:59").to_string(), "23:59");
        assert_eq!(t("24:00").to_string(), "24:00");
        for bad in ["24:01", "25:00", "12:60", "9:00", "09:5", "0900", "09-00", "", "+9:00", "09:00 "] {
            assert!(bad.parse::<LocalTime>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn ordinary_time_has_one_instant() {
        let tz = chrono_tz::America::New_York;
        assert_eq!(at(tz, "2026-01-05", "09:00", Edge::Start), "2026-01-05T14:00:00+00:00");
    }

    #[test]
    fn nonexistent_time_maps_to_the_jump() {
        // New York, 2026-03-08: 02:00 EST is followed by 03:00 EDT, at 07:00Z.
        let tz = chrono_tz::America::New_York;
        for time in ["02:00", "02:30", "02:59"] {
            for edge in [Edge::Start, Edge::End] {
                assert_eq!(at(tz, "2026-03-08", time, edge), "2026-03-08T07:00:00+00:00");
            }
        }
        assert_eq!(at(tz, "2026-03-08", "03:00", Edge::Start), "2026-03-08T07:00:00+00:00");
        assert_eq!(at(tz, "2026-03-08", "01:59", Edge::End), "2026-03-08T06:59:00+00:00");
    }

    #[test]
    fn skipped_day_maps_to_the_jump() {
        // Pacific/Apia went from 2011-12-29 24:00 (-10) straight to 2011-12-31 00:00 (+14).
        let tz = chrono_tz::Pacific::Apia;
        assert_eq!(at(tz, "2011-12-30", "00:00", Edge::Start), "2011-12-30T10:00:00+00:00");
        assert_eq!(at(tz, "2011-12-30", "13:00", Edge::End), "2011-12-30T10:00:00+00:00");
        assert_eq!(at(tz, "2011-12-29", "24:00", Edge::End), "2011-12-30T10:00:00+00:00");
        assert_eq!(at(tz, "2011-12-31", "00:00", Edge::Start), "2011-12-30T10:00:00+00:00");
    }

    #[test]
    fn repeated_time_is_earlier_for_a_start_and_later_for_an_end() {
        // New York, 2026-11-01: 01:00–02:00 happens in EDT (-4) and again in EST (-5).
        let tz = chrono_tz::America::New_York;
        assert_eq!(at(tz, "2026-11-01", "01:30", Edge::Start), "2026-11-01T05:30:00+00:00");
        assert_eq!(at(tz, "2026-11-01", "01:30", Edge::End), "2026-11-01T06:30:00+00:00");
        assert_eq!(at(tz, "2026-11-01", "02:00", Edge::End), "2026-11-01T07:00:00+00:00");
    }

    #[test]
    fn end_of_day_is_next_midnight() {
        let tz = chrono_tz::Asia::Kolkata;
        assert_eq!(at(tz, "2026-03-09", "24:00", Edge::End), "2026-03-09T18:30:00+00:00");
        assert_eq!(at(tz, "2026-03-10", "00:00", Edge::Start), "2026-03-09T18:30:00+00:00");
    }

    #[test]
    fn end_of_day_can_itself_be_nonexistent_or_repeated() {
        // São Paulo started DST at midnight: 2018-11-04 00:00 (-3) became 01:00 (-2) at 03:00Z.
        let sao_paulo = chrono_tz::America::Sao_Paulo;
        assert_eq!(at(sao_paulo, "2018-11-03", "24:00", Edge::End), "2018-11-04T03:00:00+00:00");
        // Havana ended DST at 01:00 back to 00:00: 2025-11-02 00:00–01:00 happens twice.
        let havana = chrono_tz::America::Havana;
        assert_eq!(at(havana, "2025-11-01", "24:00", Edge::End), "2025-11-02T05:00:00+00:00");
        assert_eq!(at(havana, "2025-11-02", "00:00", Edge::Start), "2025-11-02T04:00:00+00:00");
    }
}
