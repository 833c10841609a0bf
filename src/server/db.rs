//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use sea_orm::{
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

use crate::{entities::user, migrations::Migrator};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file(url) {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // SQLite allows one writer: WAL lets readers proceed beside it, and the busy timeout
        // makes a second writer wait instead of failing.
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        options.max_connections(16);
    }
    Database::connect(options).await
}

fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (IMMEDIATE), because a deferred transaction that upgrades to writing fails at once with
/// SQLITE_BUSY instead of waiting.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite_transaction_mode = (db.get_database_backend() == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode, ..Default::default() }).await
}

/// Locks the people a booking or a change to a session involves (`users` rows, `FOR UPDATE`,
/// in id order so two transactions cannot deadlock), so that transactions touching either take
/// turns. SQLite needs nothing here: its write transaction already excludes every other writer.
pub async fn lock_people(txn: &impl ConnectionTrait, mut ids: [i32; 2]) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        ids.sort_unstable();
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Id.is_in(ids))
            .order_by_asc(user::Column::Id)
            .lock_exclusive()
            .into_tuple::<i32>()
            .all(txn)
            .await?;
    }
    Ok(())
}

/// An insert that a unique index may refuse because the same row already exists (a double
/// click, two tabs): that is the outcome the caller wanted, so it counts as success.
pub fn ignore_duplicate<T>(inserted: Result<T, DbErr>) -> Result<(), DbErr> {
    match inserted {
        Err(err) if !matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Err(err),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn finds_the_sqlite_file_to_create_its_folder() {
        assert_eq!(sqlite_file("sqlite://data/x.db?mode=rwc"), Some("data/x.db"));
        assert_eq!(sqlite_file("sqlite:x.db"), Some("x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/test"), None);
    }
}
