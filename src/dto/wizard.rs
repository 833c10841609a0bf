//! What the booking wizard's steps after the first show (docs/booking-contract.md §1–2).
use serde::{Deserialize, Serialize};

use super::{Avatar, TeacherCard};

/// Step 2: which days of a month have a bookable time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthDays {
    /// `YYYY-MM`, in the student's timezone.
    pub month: String,
    /// The student's today, `YYYY-MM-DD`.
    pub today: String,
    /// Dates of the month with at least one bookable time.
    pub days: Vec<String>,
    /// The first bookable time from now on, in any month.
    pub next_available: Option<NextTime>,
    /// Neighbouring months worth visiting (none before this month or past the horizon).
    pub prev_month: Option<String>,
    pub next_month: Option<String>,
    pub timezone_label: String,
}

/// Steps 2 and 3 at once, for a calendar that answers a date in the browser: the month's days
/// and the times of each of its dates that has any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthTimes {
    pub month: MonthDays,
    pub days: Vec<DayTimes>,
}

impl MonthTimes {
    pub fn day(&self, date: &str) -> Option<&DayTimes> {
        self.days.iter().find(|d| d.date == date)
    }
}

/// Step 3: a date's times, bookable or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayTimes {
    pub date: String,
    /// "Tuesday, December 1, 2026"
    pub date_label: String,
    pub slots: Vec<DayTime>,
    pub session_minutes: i32,
    pub timezone_label: String,
    /// Set when the student's or the tutor's clocks change on this date.
    pub clock_changes: Vec<String>,
}

/// One start time of a date, with the Student-Teacher and the date the page already names.
/// Sent as an array, `[start, start_label, end_label, bookable]`: a month of them rides in the
/// page as the calendar island's props, where every quote is escaped into six bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "DayTimeFields", into = "DayTimeFields")]
pub struct DayTime {
    /// RFC 3339, UTC: what the page sends back to book it.
    pub start: String,
    /// "9:00 AM", in the student's timezone.
    pub start_label: String,
    pub end_label: String,
    /// False when it overlaps one of the student's own sessions.
    pub bookable: bool,
}

type DayTimeFields = (String, String, String, bool);

impl From<DayTimeFields> for DayTime {
    fn from((start, start_label, end_label, bookable): DayTimeFields) -> Self {
        DayTime { start, start_label, end_label, bookable }
    }
}

impl From<DayTime> for DayTimeFields {
    fn from(t: DayTime) -> Self {
        (t.start, t.start_label, t.end_label, t.bookable)
    }
}

/// A time on a date of the student's, away from that date's list ("Next Available").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextTime {
    /// `YYYY-MM-DD`, in the student's timezone.
    pub date: String,
    pub time: DayTime,
}

/// A session as the confirm step and the session's own pages show it, in the reader's timezone,
/// with the other person (the Student-Teacher for a student, and the student for them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub course_title: String,
    /// "Student-Teacher" or "Student"
    pub person_role: String,
    pub person_name: String,
    pub person_avatar: Avatar,
    /// "Tuesday, December 1, 2026"
    pub date_label: String,
    /// "9:00 AM – 10:00 AM EST"
    pub time_label: String,
    pub session_minutes: i32,
}

/// Step 4: what the student is about to book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmView {
    pub course_id: i32,
    pub teacher: TeacherCard,
    pub summary: SessionSummary,
    pub date: String,
    /// RFC 3339 UTC, as the slot's start.
    pub start: String,
    /// The same time on the tutor's clock, when it differs.
    pub tutor_time: Option<String>,
    pub timezone_label: String,
    /// Made once per confirm screen, so a retry books once.
    pub idempotency_key: String,
    /// When rescheduling: the session being moved.
    pub moving: Option<MovingFrom>,
    /// How long the time is held for the student from now; the open step renews the hold.
    pub hold_seconds: i64,
    /// Whether this booking is one the course includes or costs its price; none for a move.
    pub cost: Option<Cost>,
}

/// What booking this session costs, as the confirm step says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Paid by card on the next screen.
    pub paid: bool,
    /// "Included in your course: 3 of 8 sessions left after this one." or "$25.00: …"
    pub text: String,
}

/// The session a confirm step moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovingFrom {
    pub session_id: i32,
    /// Its time now: "Tuesday, December 8, 2026 · 9:00 AM – 10:00 AM EST".
    pub current: String,
    /// Said before the move when it is late under the cancellation policy.
    pub late_warning: Option<String>,
}

/// `book_session`'s answer: the session, and what it still needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booked {
    pub session_id: i32,
    pub status: BookedStatus,
    /// For a session awaiting payment: what to pay, and until when its time is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentDue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookedStatus {
    Scheduled,
    PendingPayment,
}

/// A session's payment as Stripe.js needs it (docs/booking-contract.md §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDue {
    pub client_secret: String,
    /// In the currency's smallest unit.
    pub amount: i32,
    pub currency: String,
    /// RFC 3339: the end of the hold on the session's time.
    pub expires_at: String,
}

/// A hold placed or renewed (docs/booking-contract.md §9): how long it lasts from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldAnswer {
    pub hold_seconds: i64,
}

/// What paying answered: done (the page waits until the session is booked), or the card
/// asks the student to confirm in the browser first with this secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAnswer {
    pub authenticate: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dates_time_travels_as_an_array_and_comes_back_whole() {
        let time =
            DayTime { start: "2026-12-04T14:00:00Z".into(), start_label: "9:00 AM".into(), end_label: "10:00 AM".into(), bookable: true };
        let json = serde_json::to_string(&time).unwrap();
        assert_eq!(json, r#"["2026-12-04T14:00:00Z","9:00 AM","10:00 AM",true]"#);
        assert_eq!(serde_json::from_str::<DayTime>(&json).unwrap(), time);
        assert!(serde_json::from_str::<DayTime>(r#"{"start":"2026-12-04T14:00:00Z"}"#).is_err());
    }
}
