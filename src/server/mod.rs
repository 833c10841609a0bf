//! Services: what the app knows and does, each module one thing. Server only; they return
//! wire types (`dto`) and typed errors, and know nothing of the UI or of routing (they read
//! only what the HTTP shell put into a request: headers, its extensions).
pub mod analytics;
pub mod auth;
pub mod availability;
pub mod bookable;
pub mod booked;
pub mod booking;
pub mod calendar_file;
pub mod catalog;
pub mod change_rules;
pub mod changes;
pub mod config;
pub mod courses;
pub mod dashboard;
pub mod db;
pub mod enrollment;
pub mod input;
pub mod login_limits;
pub mod mail;
pub mod outbox;
pub mod presentation;
pub mod profile;
pub mod queries;
pub mod request;
pub mod retention;
pub mod schedule;
pub mod schedule_later;
pub mod seed;
pub mod settings;
pub mod state;
pub mod teaching;
pub mod time_off;
pub mod timezones;
pub mod video;
pub mod wizard;
