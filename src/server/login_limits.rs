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
            // A line feed cannot be part of an email (control characters are refused), so no
            // email can spell another key.
            Limited::AccountFrom(email, ip) => format!("email:{email}\nip:{}", address(ip)),
            Limited::Account(email) => format!("email:{email}"),
        }
    }
}

/// An IPv4 address, or the /64 network of an IPv6 one: a single IPv6 client usually has a
/// whole /64 to choose addresses from.
fn address(ip: &Option<IpAddr>) -> String {
    match ip {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_be_spelled_by_an_email_and_ipv6_counts_by_network() {
        let ip = Some("127.0.0.1".parse().unwrap());
        let owner_here = Limited::AccountFrom("maya@student.test", ip).key();
        assert_ne!(Limited::Account("maya@student.test ip:127.0.0.1").key(), owner_here);
        let one: Option<IpAddr> = Some("2001:db8:1:2:aaaa::1".parse().unwrap());
        let other: Option<IpAddr> = Some("2001:db8:1:2:bbbb::9".parse().unwrap());
        assert_eq!(Limited::Client(one).key(), Limited::Client(other).key());
        assert_ne!(Limited::Client(one).key(), Limited::Client(Some("2001:db8:1:3::1".parse().unwrap())).key());
    }
}
