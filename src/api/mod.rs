//! Server functions, one file per area. Each authorizes (a student acts only for themself),
//! calls one service, and maps the answer: a redirect for a form post, the wire type otherwise.
pub mod auth;
pub mod availability;
pub mod booking;
pub mod courses;
pub mod dashboard;
pub mod schedule;
pub mod sessions;
pub mod settings;
pub mod teaching;
pub mod wizard;
