use axum::extract::FromRef;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::{num::NonZeroU32, sync::Arc};

use super::{analytics::Analytics, catalog::Catalog, config::Settings};

/// Everything a request handler or server function needs; put into the Leptos context for
/// each request, so tests can run several apps on separate databases side by side.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Login attempts per email address: slows password guessing against one account.
    /// In-process, so with several app servers each allows this many.
    pub login_attempts: Arc<DefaultKeyedRateLimiter<String>>,
    pub analytics: Analytics,
    pub catalog: Catalog,
}

/// `per_minute` tries for one email address, refilled evenly over the minute.
pub fn login_attempt_limiter(per_minute: NonZeroU32) -> Arc<DefaultKeyedRateLimiter<String>> {
    Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)))
}
