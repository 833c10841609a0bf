//! The one builder of the wizard's URLs (booking contract §1). Every step is a URL on the page
//! the student entered by, `/courses/{course_id}/book` or `/book/{st_id}`.
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLinks {
    page: String,
    st: i32,
}

impl StepLinks {
    pub fn new(page: impl Into<String>, st: i32) -> Self {
        Self { page: page.into(), st }
    }

    /// For a page path sent back by a form: only the two entry routes pass, so a post cannot
    /// send the browser anywhere else.
    pub fn for_page(page: &str, st: i32) -> Result<Self, AppError> {
        let is_id = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
        let valid = match page.strip_prefix("/courses/").and_then(|rest| rest.strip_suffix("/book")) {
            Some(course) => is_id(course),
            None => page.strip_prefix("/book/").is_some_and(is_id),
        };
        if !valid {
            return Err(AppError::invalid("page", "Expected a booking page such as /courses/1/book."));
        }
        Ok(Self::new(page, st))
    }

    /// Step 1: choose another Student-Teacher.
    pub fn teachers(&self) -> String {
        self.page.clone()
    }

    /// Step 2, this month (or the month of the student's today).
    pub fn date(&self) -> String {
        format!("{}?st={}", self.page, self.st)
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
        let links = StepLinks::new("/courses/1/book", 2);
        assert_eq!(links.teachers(), "/courses/1/book");
        assert_eq!(links.date(), "/courses/1/book?st=2");
        assert_eq!(links.month("2026-12"), "/courses/1/book?st=2&month=2026-12");
        assert_eq!(links.this_week(), "/courses/1/book?st=2&week=this");
        assert_eq!(links.time("2026-12-01"), "/courses/1/book?st=2&date=2026-12-01");
        assert_eq!(links.confirm("2026-12-01", "2026-12-01T14:00:00Z"), "/courses/1/book?st=2&date=2026-12-01&start=2026-12-01T14:00:00Z");
        assert_eq!(StepLinks::new("/book/7", 7).time("2026-12-01"), "/book/7?st=7&date=2026-12-01");
    }

    #[test]
    fn posts_may_only_name_a_booking_page() {
        assert!(StepLinks::for_page("/courses/12/book", 1).is_ok());
        assert!(StepLinks::for_page("/book/3", 3).is_ok());
        for bad in [
            "https://evil.test/book/3",
            "//evil.test/book/3",
            "/courses//book",
            "/book/",
            "/book/3?x=1",
            "/courses/1/book/later",
            "/dashboard",
        ] {
            assert!(StepLinks::for_page(bad, 1).is_err(), "{bad}");
        }
    }
}
