use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

use super::{
    analytics::Analytics, catalog::Catalog, config::Settings, mail::MailWorker, payments::PaymentsWorker, stripe::Stripe,
    video::VideoProvider,
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
    pub video: Arc<dyn VideoProvider>,
    pub mail: MailWorker,
    /// None without a Stripe secret key: sessions that need payment cannot be booked.
    pub stripe: Option<Stripe>,
    pub payments: PaymentsWorker,
    /// The demo accounts log in with their published password here (`seed::demo_login_works`).
    pub demo_login: bool,
}
