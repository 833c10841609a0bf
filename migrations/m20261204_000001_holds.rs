use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Holds {
    Table,
    StudentId,
    TeacherId,
    StartAt,
    EndAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A time a student is looking at on the confirm step, held for them alone: one per
        // student (the key), busy for everyone else until it expires.
        manager
            .create_table(
                Table::create()
                    .table(Holds::Table)
                    .col(integer(Holds::StudentId).primary_key())
                    .col(integer(Holds::TeacherId))
                    .col(timestamp_with_time_zone(Holds::StartAt))
                    .col(timestamp_with_time_zone(Holds::EndAt))
                    .col(timestamp_with_time_zone(Holds::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Holds::Table, Holds::StudentId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Holds::Table, Holds::TeacherId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Calendars read a tutor's holds by time, as they read sessions.
        manager
            .create_index(
                Index::create().name("ix_holds_teacher_start").table(Holds::Table).col(Holds::TeacherId).col(Holds::StartAt).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Holds::Table).to_owned()).await
    }
}
