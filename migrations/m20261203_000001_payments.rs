use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    SessionPriceCents,
    Currency,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Status,
    AmountCents,
    Currency,
    PaymentIntentId,
    HoldExpiresAt,
}

#[derive(DeriveIden)]
enum StripeEvents {
    Table,
    Id,
    Kind,
    ProcessedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A course without a price sells no sessions beyond those included: booking stays free.
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Courses::SessionPriceCents).integer().null().to_owned(),
            string_len(Courses::Currency, 3).default("usd").to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Courses::Table).add_column(column).to_owned()).await?;
        }
        // What a paid session cost (none for an included one), the PaymentIntent paying it, and
        // until when a session awaiting payment holds its time.
        for column in [
            ColumnDef::new(Sessions::AmountCents).integer().null().to_owned(),
            ColumnDef::new(Sessions::Currency).string_len(3).null().to_owned(),
            ColumnDef::new(Sessions::PaymentIntentId).string_len(255).null().to_owned(),
            ColumnDef::new(Sessions::HoldExpiresAt).timestamp_with_time_zone().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Sessions::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_sessions_payment_intent")
                    .table(Sessions::Table)
                    .col(Sessions::PaymentIntentId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The holds worker looks for sessions awaiting payment.
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_status_hold")
                    .table(Sessions::Table)
                    .col(Sessions::Status)
                    .col(Sessions::HoldExpiresAt)
                    .to_owned(),
            )
            .await?;
        // Each Stripe event applied, written in the transaction that applied it: a repeat finds
        // its id here and changes nothing.
        manager
            .create_table(
                Table::create()
                    .table(StripeEvents::Table)
                    .col(string_len(StripeEvents::Id, 255).primary_key())
                    .col(string_len(StripeEvents::Kind, 64))
                    .col(timestamp_with_time_zone(StripeEvents::ProcessedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(StripeEvents::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_sessions_status_hold").table(Sessions::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("ux_sessions_payment_intent").table(Sessions::Table).to_owned()).await?;
        for column in [Sessions::AmountCents, Sessions::Currency, Sessions::PaymentIntentId, Sessions::HoldExpiresAt] {
            manager.alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned()).await?;
        }
        for column in [Courses::SessionPriceCents, Courses::Currency] {
            manager.alter_table(Table::alter().table(Courses::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
