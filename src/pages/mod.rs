//! One module per route.
pub mod booking;
pub mod course;
pub mod dashboard;
pub mod login;
pub mod not_found;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod teach;
pub mod teacher_profile;
