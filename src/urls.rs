//! The app's own URLs: percent-encoding, the booking wizard's step links (docs/booking-contract.md
//! §1), and the checks that keep a `next` or a `page` sent by a browser on this site.
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

use crate::{dto::StId, error::AppError};

/// Everything but RFC 3986's unreserved characters, and `/` kept readable (paths such as `next`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Where to go after login: only paths on this site, so `next` cannot send people elsewhere.
/// Browsers drop tabs and newlines from URLs (`/\t/evil.test` becomes `//evil.test`), so only
/// visible ASCII passes.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path
        }
        _ => "/dashboard",
    }
}

/// The booking page a student entered by; every step of the wizard is a URL on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EntryPage {
    /// `/courses/{course_id}/book`
    Course(i32),
    /// `/book/{st_id}`
    Teacher(i32),
}

impl fmt::Display for EntryPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Course(id) => write!(f, "/courses/{id}/book"),
            Self::Teacher(id) => write!(f, "/book/{id}"),
        }
    }
}

impl std::str::FromStr for EntryPage {
    type Err = AppError;

    /// A page path sent back by a form: only the two entry routes pass, so a post cannot send
    /// the browser anywhere else.
    fn from_str(page: &str) -> Result<Self, AppError> {
        let id = |s: &str| (!s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten();
        let parsed = match page.strip_prefix("/courses/").and_then(|rest| rest.strip_suffix("/book")) {
            Some(course) => id(course).map(Self::Course),
            None => page.strip_prefix("/book/").and_then(id).map(Self::Teacher),
        };
        parsed.ok_or_else(|| AppError::invalid("page", "Expected a booking page such as /courses/1/book."))
    }
}

/// The one builder of the wizard's step URLs, for one Student-Teacher on one entry page, and
/// for the session being rescheduled, which every step carries (`&reschedule=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StepLinks {
    page: EntryPage,
    st: StId,
    reschedule: Option<i32>,
}

impl StepLinks {
    pub fn new(page: EntryPage, st: StId) -> Self {
        Self { page, st, reschedule: None }
    }

    /// The same steps, moving the student's session `session_id` instead of booking a new one.
    pub fn rescheduling(self, session_id: i32) -> Self {
        Self { reschedule: Some(session_id), ..self }
    }

    /// Where moving the student's session `session_id` starts: step 2 on its course's booking
    /// page, with its own Student-Teacher.
    pub fn to_reschedule(course_id: i32, st: StId, session_id: i32) -> String {
        Self::new(EntryPage::Course(course_id), st).rescheduling(session_id).date()
    }

    /// The session these steps move, if they reschedule.
    pub fn reschedule(&self) -> Option<i32> {
        self.reschedule
    }

    pub fn page(&self) -> EntryPage {
        self.page
    }

    pub fn st_id(&self) -> StId {
        self.st
    }

    /// Step 1: choose another Student-Teacher.
    pub fn teachers(&self) -> String {
        self.page.to_string()
    }

    /// Step 2, this month (or the month of the student's today).
    pub fn date(&self) -> String {
        match self.reschedule {
            Some(session_id) => format!("{}?st={}&reschedule={session_id}", self.page, self.st),
            None => format!("{}?st={}", self.page, self.st),
        }
    }

    /// Step 2, another month (`YYYY-MM`).
    pub fn month(&self, month: &str) -> String {
        format!("{}&month={month}", self.date())
    }

    /// Step 2 with this week's times listed.
    pub fn this_week(&self) -> String {
        format!("{}&week=this", self.date())
    }

    /// Step 3: a date's times (`YYYY-MM-DD`).
    pub fn time(&self, date: &str) -> String {
        format!("{}&date={date}", self.date())
    }

    /// Step 2 showing the month (`YYYY-MM`) of `date`, where "choose another date" returns.
    pub fn month_of(&self, date: &str) -> String {
        self.month(date.get(..7).unwrap_or(date))
    }

    /// Step 4: confirm a start (RFC 3339 UTC) on `date`.
    pub fn confirm(&self, date: &str, start: &str) -> String {
        format!("{}&start={start}", self.time(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_a_url_on_the_entry_page() {
        let links = StepLinks::new(EntryPage::Course(1), StId(2));
        assert_eq!(links.teachers(), "/courses/1/book");
        assert_eq!(links.date(), "/courses/1/book?st=2");
        assert_eq!(links.month("2026-12"), "/courses/1/book?st=2&month=2026-12");
        assert_eq!(links.month_of("2027-01-15"), "/courses/1/book?st=2&month=2027-01");
        assert_eq!(links.this_week(), "/courses/1/book?st=2&week=this");
        assert_eq!(links.time("2026-12-01"), "/courses/1/book?st=2&date=2026-12-01");
        assert_eq!(links.confirm("2026-12-01", "2026-12-01T14:00:00Z"), "/courses/1/book?st=2&date=2026-12-01&start=2026-12-01T14:00:00Z");
        assert_eq!(StepLinks::new(EntryPage::Teacher(7), StId(7)).time("2026-12-01"), "/book/7?st=7&date=2026-12-01");
    }

    #[test]
    fn a_reschedule_is_carried_through_every_step() {
        let links = StepLinks::new(EntryPage::Course(1), StId(2)).rescheduling(9);
        assert_eq!(links.reschedule(), Some(9));
        assert_eq!(StepLinks::to_reschedule(1, StId(2), 9), links.date());
        assert_eq!(links.date(), "/courses/1/book?st=2&reschedule=9");
        assert_eq!(links.month("2026-12"), "/courses/1/book?st=2&reschedule=9&month=2026-12");
        assert_eq!(links.this_week(), "/courses/1/book?st=2&reschedule=9&week=this");
        assert_eq!(
            links.confirm("2026-12-01", "2026-12-01T14:00:00Z"),
            "/courses/1/book?st=2&reschedule=9&date=2026-12-01&start=2026-12-01T14:00:00Z"
        );
    }

    #[test]
    fn posts_may_only_name_a_booking_page() {
        assert_eq!("/courses/12/book".parse::<EntryPage>(), Ok(EntryPage::Course(12)));
        assert_eq!("/book/3".parse::<EntryPage>(), Ok(EntryPage::Teacher(3)));
        for bad in [
            "https://evil.test/book/3",
            "//evil.test/book/3",
            "/courses//book",
            "/book/",
            "/book/3?x=1",
            "/courses/1/book/later",
            "/dashboard",
            "/book/99999999999",
        ] {
            assert!(bad.parse::<EntryPage>().is_err(), "{bad}");
        }
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/courses/1/book?st=2")), "/courses/1/book?st=2");
        assert_eq!(safe_next(Some("//evil.test/x")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\\evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\t/evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\n/evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/ /evil.test")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }

    #[test]
    fn query_values_are_percent_encoded_keeping_slashes() {
        assert_eq!(urlencode("/courses/1/book?st=2&x=a b"), "/courses/1/book%3Fst%3D2%26x%3Da%20b");
        assert_eq!(urlencode("é~._-"), "%C3%A9~._-");
    }
}
