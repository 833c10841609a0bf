//! Schema migrations, shared by SQLite and PostgreSQL. Included into the crate by path so the
//! project stays one crate; run by `session-booking migrate` and on every server start.
use sea_orm_migration::prelude::*;

mod m20261124_000001_create_tables;
mod m20261125_000001_booking_idempotency;
mod m20261125_000002_login_hardening;
mod m20261125_000003_notifications;
mod m20261202_000001_session_changes;
mod m20261202_000002_time_off;
mod m20261203_000001_payments;
mod m20261204_000001_holds;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_tables::Migration),
            Box::new(m20261125_000001_booking_idempotency::Migration),
            Box::new(m20261125_000002_login_hardening::Migration),
            Box::new(m20261125_000003_notifications::Migration),
            Box::new(m20261202_000001_session_changes::Migration),
            Box::new(m20261202_000002_time_off::Migration),
            Box::new(m20261203_000001_payments::Migration),
            Box::new(m20261204_000001_holds::Migration),
        ]
    }
}
