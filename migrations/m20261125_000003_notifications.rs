use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    VideoUrl,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    SessionId,
    Kind,
    LeadMinutes,
    SendAfter,
    Attempts,
    ClaimedUntil,
    SentAt,
    LastError,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Where the session takes place: a video room made at booking.
        manager
            .alter_table(
                Table::alter().table(Sessions::Table).add_column(ColumnDef::new(Sessions::VideoUrl).string_len(300).null()).to_owned(),
            )
            .await?;
        // Messages a booking owes, written in the booking's own transaction and sent by the
        // mail worker: one row per confirmation and per reminder lead time, so each is sent once.
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(pk_auto(Outbox::Id))
                    .col(integer(Outbox::SessionId))
                    .col(string_len(Outbox::Kind, 32))
                    .col(integer(Outbox::LeadMinutes).default(0))
                    .col(timestamp_with_time_zone(Outbox::SendAfter))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outbox::Table, Outbox::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_outbox_message")
                    .table(Outbox::Table)
                    .col(Outbox::SessionId)
                    .col(Outbox::Kind)
                    .col(Outbox::LeadMinutes)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_outbox_due").table(Outbox::Table).col(Outbox::SentAt).col(Outbox::SendAfter).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::VideoUrl).to_owned()).await
    }
}
