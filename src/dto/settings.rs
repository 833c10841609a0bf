//! The student's settings (docs/booking-contract.md §6).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimezoneChoice {
    /// IANA name
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub timezone: String,
    pub choices: Vec<TimezoneChoice>,
    /// Live login sessions of this student other than the one asking.
    pub other_devices: u64,
}
