//! Timezones as people read them: names, the choices offered, and the dates clocks change.
use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::dto::settings::TimezoneChoice;

pub fn parse_timezone(name: &str) -> Tz {
    // Timezones are validated when stored; a bad one is shown in UTC rather than failing a page.
    name.parse().unwrap_or(Tz::UTC)
}

/// Whether two zones show different wall-clock times at `at`.
pub fn same_clock_differs(a: Tz, b: Tz, at: DateTime<Utc>) -> bool {
    a.offset_from_utc_datetime(&at.naive_utc()).fix() != b.offset_from_utc_datetime(&at.naive_utc()).fix()
}

/// "UTC-04:00 to UTC-05:00" when `zone`'s offset at the start of `date` differs from its
/// offset at the start of the next date.
pub fn clock_change(zone: Tz, date: NaiveDate) -> Option<String> {
    // A change at midnight (Santiago, Havana) skips midnight itself: then read the hour after.
    let offset_at_start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0)?;
        let at = |t| zone.from_local_datetime(&t).earliest();
        at(midnight).or_else(|| at(midnight + Duration::hours(1))).map(|t| t.offset().fix())
    };
    let (before, after) = (offset_at_start(date)?, offset_at_start(date.succ_opt()?)?);
    (before != after).then(|| format!("UTC{before} to UTC{after}"))
}

/// A name a person reads: "Eastern Time (New York)"; for zones without a common name, the
/// city: "Kathmandu time".
pub fn timezone_label(name: &str) -> String {
    const NAMED: [(&str, &str); 12] = [
        ("America/New_York", "Eastern Time"),
        ("America/Chicago", "Central Time"),
        ("America/Denver", "Mountain Time"),
        ("America/Los_Angeles", "Pacific Time"),
        ("Europe/London", "UK Time"),
        ("Europe/Berlin", "Central European Time"),
        ("Europe/Zagreb", "Central European Time"),
        ("Asia/Kolkata", "India Standard Time"),
        ("Asia/Tokyo", "Japan Time"),
        ("America/Sao_Paulo", "Brasília Time"),
        ("America/Mexico_City", "Central Time (Mexico)"),
        ("UTC", "Coordinated Universal Time"),
    ];
    let city = name.rsplit('/').next().unwrap_or(name).replace('_', " ");
    match NAMED.iter().find(|(zone, _)| *zone == name) {
        Some((_, label)) if name == "UTC" || label.contains('(') => (*label).to_owned(),
        Some((_, label)) => format!("{label} ({city})"),
        None => format!("{city} time"),
    }
}

/// Zones a student may choose: the common ones (every demo zone among them) and their own.
pub fn timezone_choices(current: &str) -> Vec<TimezoneChoice> {
    const COMMON: [&str; 24] = [
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
        "America/Mexico_City",
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "UTC",
        "Europe/London",
        "Europe/Lisbon",
        "Europe/Berlin",
        "Europe/Zagreb",
        "Europe/Paris",
        "Africa/Lagos",
        "Africa/Nairobi",
        "Asia/Dubai",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Asia/Singapore",
        "Asia/Shanghai",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Honolulu",
    ];
    let mut names: Vec<&str> = COMMON.to_vec();
    if !names.contains(&current) {
        names.push(current);
    }
    names.into_iter().map(|name| TimezoneChoice { name: name.to_owned(), label: timezone_label(name) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn clock_changes_are_found_on_their_date_only() {
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 3, 8)).as_deref(), Some("UTC-05:00 to UTC-04:00"));
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 11, 1)).as_deref(), Some("UTC-04:00 to UTC-05:00"));
        assert_eq!(clock_change(chrono_tz::Europe::London, d(2026, 3, 29)).as_deref(), Some("UTC+00:00 to UTC+01:00"));
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 3, 9)), None);
        assert_eq!(clock_change(chrono_tz::Asia::Kolkata, d(2026, 3, 8)), None);
    }

    #[test]
    fn timezones_have_names_people_read() {
        assert_eq!(timezone_label("America/New_York"), "Eastern Time (New York)");
        assert_eq!(timezone_label("America/Mexico_City"), "Central Time (Mexico)");
        assert_eq!(timezone_label("Asia/Kathmandu"), "Kathmandu time");
        assert_eq!(timezone_label("America/Argentina/Buenos_Aires"), "Buenos Aires time");
    }
}
