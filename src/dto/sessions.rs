//! A booked session's own pages (docs/booking-contract.md §7): what it is, its state, and what
//! changing it would cost.
use serde::{Deserialize, Serialize};

use super::wizard::SessionSummary;

/// Whose view of a session: its student's or its Student-Teacher's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    Student,
    StudentTeacher,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SessionState {
    Scheduled,
    /// Begun and not over: nothing can change, and its room is where it happens.
    Started,
    /// Over.
    Ended,
    Cancelled {
        /// "You" or the other person's name.
        by: String,
        reason: Option<String>,
        /// Cancelled by the student too close to the start: the session counts as used.
        late: bool,
    },
    /// Booked beyond the course's included sessions, its time held until it is paid.
    AwaitingPayment(PaymentStep),
    /// Its payment was declined or never came (or came after its time was taken, and was
    /// refunded): not booked.
    Unpaid,
}

/// The payment step of a session awaiting payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentStep {
    /// "$25.00"
    pub amount: String,
    /// The hold's end on the viewer's clock: "3:45 PM EST".
    pub held_until: String,
    /// The same instant, RFC 3339, for the page's countdown.
    pub expires_at: String,
    /// Stripe.js's key and address; none where this server takes no payments.
    pub publishable_key: Option<String>,
    pub js_url: String,
}

/// What a change made now means under the cancellation policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeTerms {
    /// A cancel now uses up the session.
    pub late: bool,
    /// The policy in the reader's words and timezone.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub session_id: i32,
    pub course_id: i32,
    pub party: Party,
    pub summary: SessionSummary,
    pub state: SessionState,
    /// What cancelling costs now; `None` once nothing can change.
    pub terms: Option<ChangeTerms>,
    /// The booking wizard on the same Student-Teacher, for the student while the session can move.
    pub reschedule_url: Option<String>,
    pub google_url: String,
    pub outlook_url: String,
    /// Where to meet: the session's video room.
    pub video_url: Option<String>,
}

/// A change's answer: the session as it now is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedSession {
    pub session_id: i32,
    /// RFC 3339 UTC
    pub start: String,
    pub end: String,
    /// `scheduled` or `cancelled`
    pub status: String,
    pub sequence: i32,
}
