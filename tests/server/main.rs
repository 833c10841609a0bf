//! Integration tests of the server functions and routes, on SQLite and (when
//! `TEST_DATABASE_URL` is set) PostgreSQL.
mod harness;

mod auth;
mod availability;
mod booking;
mod booking_page;
mod caching;
mod changes;
mod dashboard;
mod fuzz;
mod http;
mod live;
mod mail;
mod payments;
mod profile;
mod retention;
mod schedule;
mod schedule_later;
mod seed;
mod settings;
