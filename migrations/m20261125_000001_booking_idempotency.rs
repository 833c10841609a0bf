use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    StudentId,
    IdempotencyKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The key a booking request carries (made once per confirm screen): a retry or a
        // double click with the same key finds the session the first one made.
        manager
            .alter_table(
                Table::alter().table(Sessions::Table).add_column(ColumnDef::new(Sessions::IdempotencyKey).string_len(64).null()).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sessions_student_idempotency_key")
                    .table(Sessions::Table)
                    .col(Sessions::StudentId)
                    .col(Sessions::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ux_sessions_student_idempotency_key").table(Sessions::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::IdempotencyKey).to_owned()).await
    }
}
