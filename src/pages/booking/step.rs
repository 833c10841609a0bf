//! Where the student is in the wizard, decided from the URL alone (docs/booking-contract.md §1).
use leptos_router::params::ParamsMap;

use crate::{dto::StId, error::AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Teacher,
    Date,
    Time,
    Confirm,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Teacher, Step::Date, Step::Time, Step::Confirm];

    pub fn label(self) -> &'static str {
        match self {
            Step::Teacher => "Student-Teacher",
            Step::Date => "Date",
            Step::Time => "Time",
            Step::Confirm => "Confirm",
        }
    }
}

/// The wizard's query, read once and typed. Values that do not parse count as absent, so a
/// hand-edited URL lands on the nearest sensible step instead of an error page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BookingQuery {
    pub st: Option<StId>,
    /// `YYYY-MM-DD`
    pub date: Option<String>,
    /// RFC 3339 UTC
    pub start: Option<String>,
    /// `YYYY-MM`
    pub month: Option<String>,
    pub this_week: bool,
    /// The student's session these steps move (`reschedule`), instead of booking a new one.
    pub reschedule: Option<i32>,
    /// An error a booking (or reschedule) post came back with (`__err`).
    pub error: Option<AppError>,
}

impl BookingQuery {
    pub fn parse(query: &ParamsMap, error: Option<AppError>) -> Self {
        let date = query.get("date").filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        let month = query.get("month").filter(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok());
        let start = query.get("start").filter(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok());
        Self {
            st: query.get("st").and_then(|v| v.parse().ok()).map(StId),
            date,
            start,
            month,
            this_week: query.get("week").as_deref() == Some("this"),
            reschedule: query.get("reschedule").and_then(|v| v.parse().ok()),
            error,
        }
    }
}

/// The step to show: the first one whose choice is missing. A start the booking found taken
/// goes back to that date's times, where the message is shown.
pub fn step(preselected: Option<StId>, query: &BookingQuery) -> Step {
    let refused = matches!(query.error, Some(AppError::SlotUnavailable | AppError::StudentConflict));
    match (preselected.or(query.st), &query.date, &query.start) {
        (None, _, _) => Step::Teacher,
        (Some(_), None, _) => Step::Date,
        (Some(_), Some(_), Some(_)) if !refused => Step::Confirm,
        (Some(_), Some(_), _) => Step::Time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> BookingQuery {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(k.to_string(), v.to_string());
        }
        BookingQuery::parse(&map, None)
    }

    #[test]
    fn the_step_is_the_first_choice_missing() {
        assert_eq!(step(None, &query(&[])), Step::Teacher);
        assert_eq!(step(None, &query(&[("st", "2")])), Step::Date);
        assert_eq!(step(Some(StId(2)), &query(&[])), Step::Date);
        assert_eq!(step(None, &query(&[("st", "2"), ("date", "2026-12-01")])), Step::Time);
        let confirm = query(&[("st", "2"), ("date", "2026-12-01"), ("start", "2026-12-01T14:00:00Z")]);
        assert_eq!(step(None, &confirm), Step::Confirm);
        // A start without a date is not enough to confirm.
        assert_eq!(step(None, &query(&[("st", "2"), ("start", "2026-12-01T14:00:00Z")])), Step::Date);
    }

    #[test]
    fn hand_edited_values_fall_back_to_an_earlier_step() {
        assert_eq!(step(None, &query(&[("st", "two")])), Step::Teacher);
        assert_eq!(step(None, &query(&[("st", "2"), ("date", "2026-13-01")])), Step::Date);
        assert_eq!(step(None, &query(&[("st", "2"), ("date", "2026-12-01"), ("start", "2pm")])), Step::Time);
        assert_eq!(query(&[("month", "2026-1x")]).month, None);
        assert_eq!(query(&[("month", "2026-02")]).month.as_deref(), Some("2026-02"));
        assert_eq!(query(&[("reschedule", "12")]).reschedule, Some(12));
        assert_eq!(query(&[("reschedule", "x")]).reschedule, None);
    }

    #[test]
    fn a_refused_booking_returns_to_the_dates_times() {
        let mut q = query(&[("st", "2"), ("date", "2026-12-01"), ("start", "2026-12-01T14:00:00Z")]);
        q.error = Some(AppError::SlotUnavailable);
        assert_eq!(step(None, &q), Step::Time);
        q.error = Some(AppError::StudentConflict);
        assert_eq!(step(None, &q), Step::Time);
        q.error = Some(AppError::Internal);
        assert_eq!(step(None, &q), Step::Confirm);
    }
}
