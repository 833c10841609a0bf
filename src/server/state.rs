use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

use super::{
    analytics::Analytics, calendar_cache::CalendarCache, catalog::Catalog, config::Settings, live::Live, mail::MailWorker, stripe::Stripe,
    video::VideoProvider, wakeup::Wakeup,
};

/// Everything a request handler or server function needs; put into the Leptos context for
/// each request, so tests can run several apps on separate databases side by side.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub analytics: Analytics,
    pub catalog: Catalog,
    /// What the booking pages computed from calendars, until their people's times change.
    pub calendars: CalendarCache,
    pub video: Arc<dyn VideoProvider>,
    pub mail: MailWorker,
    /// None without a Stripe secret key: sessions that need payment cannot be booked.
    pub stripe: Option<Stripe>,
    /// Wakes the payments worker (`payments::start_worker`) when a refund is due.
    pub payments: Wakeup,
    /// Tells pages showing a person's times that they changed (`server::live`).
    pub live: Live,
    /// The demo accounts log in with their published password here (`seed::demo_login_works`).
    pub demo_login: bool,
}
