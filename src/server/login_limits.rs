//! Login attempts per client address, per account from one address, and per account, counted
//! in the database so that every app process sharing it enforces the same limits (an
//! in-process limiter lets each process allow the whole quota). Fixed one-minute windows.
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use std::{net::IpAddr, time::Duration};

use crate::entities::login_attempt;

/// What an attempt is counted under.
pub enum Limited<'a> {
    Client(Option<IpAddr>),
    /// One account, tried from one address.
    AccountFrom(&'a str, Option<IpAddr>),
    /// One account, from anywhere.
    Account(&'a str),
}

impl Limited<'_> {
    fn key(&self) -> String {
        match self {
            // Without a known address (a test's in-process request) all such requests share one.
            Limited::Client(ip) => format!("ip:{}", address(ip)),
            Limited::AccountFrom(email, ip) => format!("email:{email} ip:{}", address(ip)),
            Limited::Account(email) => format!("email:{email}"),
        }
    }
}

fn address(ip: &Option<IpAddr>) -> String {
    ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

fn window_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(60)
}

/// Counts one attempt under `what` and answers how many this window has seen, this one
/// included. Counting and reading are one statement, so concurrent attempts in several
/// processes cannot all see room left.
pub async fn count(db: &DatabaseConnection, what: Limited<'_>, now: DateTime<Utc>) -> Result<u32, DbErr> {
    let row = login_attempt::ActiveModel { key: Set(what.key()), window_start: Set(window_of(now)), attempts: Set(1) };
    let counted = login_attempt::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([login_attempt::Column::Key, login_attempt::Column::WindowStart])
                .value(login_attempt::Column::Attempts, Expr::col((login_attempt::Entity, login_attempt::Column::Attempts)).add(1))
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(u32::try_from(counted.attempts).unwrap_or(0))
}

/// Deletes the windows that have passed, once a minute, so the table holds at most two windows
/// of keys however many addresses try. Ends with the runtime.
pub fn start_forgetting(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            if let Err(error) = forget_before(&db, Utc::now()).await {
                tracing::warn!(%error, "cannot delete old login attempts");
            }
        }
    });
}

pub async fn forget_before(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let deleted = login_attempt::Entity::delete_many().filter(login_attempt::Column::WindowStart.lt(window_of(now))).exec(db).await?;
    Ok(deleted.rows_affected)
}
