//! What is kept only for a while: messages already sent and analytics events, deleted once
//! older than `server.retention_days`, so neither table grows without end.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::entities::{analytics_event, outbox};

/// How often the deletion runs: old rows cost nothing but space, so hourly is plenty.
const EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Rows deleted by one [`prune`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub messages: u64,
    pub events: u64,
}

/// Deletes sent messages and analytics events older than `keep`; unsent messages stay, whatever
/// their age (the outbox decides when they are done).
pub async fn prune(db: &DatabaseConnection, keep: Duration, now: DateTime<Utc>) -> Result<Pruned, DbErr> {
    let before = now - keep;
    let messages = outbox::Entity::delete_many().filter(outbox::Column::SentAt.lt(before)).exec(db).await?.rows_affected;
    let events = analytics_event::Entity::delete_many().filter(analytics_event::Column::CreatedAt.lt(before)).exec(db).await?.rows_affected;
    Ok(Pruned { messages, events })
}

/// Prunes every hour, in the background, until the runtime ends.
pub fn start_pruning(db: DatabaseConnection, keep: Duration) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            match prune(&db, keep, Utc::now()).await {
                Ok(pruned) => tracing::debug!(?pruned, "deleted old rows"),
                Err(error) => tracing::warn!(%error, "cannot delete old messages and events"),
            }
        }
    });
}
