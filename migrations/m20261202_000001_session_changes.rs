use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Sequence,
}

#[derive(DeriveIden)]
enum SessionChanges {
    Table,
    Id,
    SessionId,
    Sequence,
    Kind,
    Actor,
    PreviousStartAt,
    PreviousEndAt,
    Reason,
    Late,
    IdempotencyKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    SessionId,
    Kind,
    LeadMinutes,
    Sequence,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // How many times the session has changed: its calendar SEQUENCE (RFC 5545), and the
        // version a change must find to apply.
        manager.alter_table(Table::alter().table(Sessions::Table).add_column(integer(Sessions::Sequence).default(0)).to_owned()).await?;
        // Every cancel and reschedule, with what it replaced: the history a calendar update,
        // an email and the cancellation policy read.
        manager
            .create_table(
                Table::create()
                    .table(SessionChanges::Table)
                    .col(pk_auto(SessionChanges::Id))
                    .col(integer(SessionChanges::SessionId))
                    .col(integer(SessionChanges::Sequence))
                    .col(string_len(SessionChanges::Kind, 16))
                    .col(string_len(SessionChanges::Actor, 16))
                    .col(timestamp_with_time_zone(SessionChanges::PreviousStartAt))
                    .col(timestamp_with_time_zone(SessionChanges::PreviousEndAt))
                    .col(text_null(SessionChanges::Reason))
                    .col(boolean(SessionChanges::Late))
                    .col(string_len_null(SessionChanges::IdempotencyKey, 64))
                    .col(timestamp_with_time_zone(SessionChanges::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionChanges::Table, SessionChanges::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One change per version of a session, whatever the timing; one per reschedule key.
        manager
            .create_index(
                Index::create()
                    .name("ux_session_changes_sequence")
                    .table(SessionChanges::Table)
                    .col(SessionChanges::SessionId)
                    .col(SessionChanges::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_session_changes_key")
                    .table(SessionChanges::Table)
                    .col(SessionChanges::SessionId)
                    .col(SessionChanges::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Each message speaks for one version of its session; a reminder is owed again after a move.
        manager.alter_table(Table::alter().table(Outbox::Table).add_column(integer(Outbox::Sequence).default(0)).to_owned()).await?;
        manager.drop_index(Index::drop().name("ux_outbox_message").to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_outbox_message_version")
                    .table(Outbox::Table)
                    .col(Outbox::SessionId)
                    .col(Outbox::Kind)
                    .col(Outbox::LeadMinutes)
                    .col(Outbox::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ux_outbox_message_version").to_owned()).await?;
        // Without versions a message kind is owed once per session: keep each one's latest.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM outbox WHERE id NOT IN (SELECT MAX(id) FROM outbox GROUP BY session_id, kind, lead_minutes)")
            .await?;
        manager.alter_table(Table::alter().table(Outbox::Table).drop_column(Outbox::Sequence).to_owned()).await?;
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
        manager.drop_table(Table::drop().table(SessionChanges::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::Sequence).to_owned()).await
    }
}
