//! The wizard's values as URLs and forms carry them (a start, a date, a month), parsed into
//! chrono types or refused with the field's name.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::ops::RangeInclusive;

use crate::error::AppError;

/// The years a date or start may name. Every bookable time lies within the horizon (at most
/// ten years ahead, `config`), so this refuses nothing a student can book, and date arithmetic
/// on what passes cannot overflow (chrono accepts signed years up to ±262,143).
const YEARS: RangeInclusive<i32> = 2000..=2200;

/// Text with every line break (`\r\n`, a lone `\r`) as one line feed, as notes are stored and
/// calendars need them.
pub fn line_feeds(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Words a person wrote for another (a note, a reason): one kind of line break, trimmed, at
/// most `max_chars` characters; line breaks and tabs are writing, other control characters are
/// not (and PostgreSQL refuses NUL in text). `noun` names it in the refusal ("A note …").
pub fn free_text(field: &str, noun: &str, text: &str, max_chars: usize) -> Result<String, AppError> {
    let text = line_feeds(text).trim().to_owned();
    if text.chars().count() > max_chars {
        return Err(AppError::invalid(field, format!("{noun} can be at most {max_chars} characters.")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err(AppError::invalid(field, format!("{noun} cannot contain control characters.")));
    }
    Ok(text)
}

/// A request's key as a confirm screen made it: 8 to 64 visible ASCII characters.
pub fn idempotency_key(key: &str) -> Result<String, AppError> {
    if (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(key.to_owned())
    } else {
        Err(AppError::invalid("idempotency_key", "Expected 8 to 64 visible ASCII characters."))
    }
}

/// A start time as the wizard's URLs and the booking endpoint carry it (RFC 3339).
pub fn parse_start(start: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(start)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| YEARS.contains(&t.year()))
        .ok_or_else(|| AppError::invalid("start", "Expected a start time such as 2026-12-01T14:00:00Z."))
}

/// A date as URLs and forms carry it (`YYYY-MM-DD`), refused in the name of `field`.
pub fn parse_date(field: &str, date: &str) -> Result<NaiveDate, AppError> {
    date.parse::<NaiveDate>()
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
        .ok_or_else(|| AppError::invalid(field, "Expected a date such as 2026-12-01."))
}

/// The first and last date of a `YYYY-MM` month.
pub fn month_range(month: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let invalid = || AppError::invalid("month", "Expected a month such as 2026-12.");
    let (year, mon) = month.split_once('-').ok_or_else(invalid)?;
    let (year, mon): (i32, u32) = (year.parse().map_err(|_| invalid())?, mon.parse().map_err(|_| invalid())?);
    let first = NaiveDate::from_ymd_opt(year, mon, 1).filter(|_| YEARS.contains(&year)).ok_or_else(invalid)?;
    let next = first.checked_add_months(chrono::Months::new(1)).ok_or_else(invalid)?;
    Ok((first, next.pred_opt().ok_or_else(invalid)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(result: Result<impl std::fmt::Debug, AppError>) -> String {
        match result {
            Err(AppError::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn far_and_impossible_dates_are_refused_by_name() {
        for bad in ["+262142-12-31", "-0001-01-01", "1999-12-31", "2201-01-01", "2026-02-30", "2026-12-1x"] {
            assert_eq!(refused_field(parse_date("date", bad)), "date", "{bad}");
        }
        for bad in ["+262142-12-31T00:00:00Z", "9999-12-31T23:00:00Z", "2026-02-30T10:00:00Z"] {
            assert_eq!(refused_field(parse_start(bad)), "start", "{bad}");
        }
        for bad in ["+262142-12", "-1-01", "9999-12"] {
            assert_eq!(refused_field(month_range(bad)), "month", "{bad}");
        }
        assert_eq!(parse_date("date", "2200-12-31").unwrap(), NaiveDate::from_ymd_opt(2200, 12, 31).unwrap());
        assert!(parse_start("2026-12-01T09:00:00-05:00").is_ok());
    }

    /// The words of every free-text refusal survive a form's round trip (`AppError::url_code`).
    #[test]
    fn free_text_refusals_keep_their_words_without_javascript() {
        for (field, noun, max) in [("note", "A note", 1000), ("reason", "A reason", 500)] {
            for bad in ["x".repeat(max + 1), "a\u{0}b".to_owned()] {
                let refusal = free_text(field, noun, &bad, max).unwrap_err();
                assert_eq!(AppError::from_url_code(&refusal.url_code()), Some(refusal.clone()), "{refusal:?}");
            }
        }
        assert_eq!(free_text("note", "A note", " a\r\nb\tc ", 10).unwrap(), "a\nb\tc");
    }

    #[test]
    fn months_parse_to_their_first_and_last_day() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(month_range("2026-12").unwrap(), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(month_range("2028-02").unwrap(), (d(2028, 2, 1), d(2028, 2, 29)));
        for bad in ["2026-13", "2026", "26-1x", "", "1800-01", "2026-00"] {
            assert!(matches!(month_range(bad), Err(AppError::InvalidInput { ref field, .. }) if field == "month"), "{bad}");
        }
    }
}
