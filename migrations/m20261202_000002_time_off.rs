use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TimeOff {
    Table,
    Id,
    TeacherId,
    FirstDate,
    LastDate,
    StartTime,
    EndTime,
    Timezone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A Student-Teacher's time off as they said it: dates and wall-clock times in their
        // timezone, so that it keeps meaning the same dates if the tzdata rules change. Like
        // availability it belongs to the person, not to one course.
        manager
            .create_table(
                Table::create()
                    .table(TimeOff::Table)
                    .col(pk_auto(TimeOff::Id))
                    .col(integer(TimeOff::TeacherId))
                    .col(date(TimeOff::FirstDate))
                    .col(date(TimeOff::LastDate))
                    .col(string_len_null(TimeOff::StartTime, 5))
                    .col(string_len_null(TimeOff::EndTime, 5))
                    .col(string(TimeOff::Timezone))
                    .col(timestamp_with_time_zone(TimeOff::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TimeOff::Table, TimeOff::TeacherId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_time_off_teacher").table(TimeOff::Table).col(TimeOff::TeacherId).col(TimeOff::LastDate).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TimeOff::Table).to_owned()).await
    }
}
