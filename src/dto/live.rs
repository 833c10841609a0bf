//! What the live-availability stream tells a page (docs/booking-contract.md §9).
use serde::{Deserialize, Serialize};

/// How a person's bookable times changed. The stream's event names are these, in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A session was booked or moved there (or awaits payment there).
    Booked,
    /// A student holds the time while they confirm it.
    Held,
    /// A session was cancelled.
    Cancelled,
    /// A hold ended, or a session awaiting payment let its time go.
    Freed,
    /// Weekly hours or time off changed.
    Hours,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Booked => "booked",
            ChangeKind::Held => "held",
            ChangeKind::Cancelled => "cancelled",
            ChangeKind::Freed => "freed",
            ChangeKind::Hours => "hours",
        }
    }
}

/// The stream's event when changes may have gone unheard: fetch everything again.
pub const RESYNC: &str = "resync";
