use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginSessions {
    Table,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Key,
    WindowStart,
    Attempts,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Idle sessions end: the last time a session was used. SQLite adds a NOT NULL column
        // only with a constant default, so existing rows take their start time afterwards.
        manager
            .alter_table(
                Table::alter()
                    .table(LoginSessions::Table)
                    .add_column(timestamp_with_time_zone(LoginSessions::LastSeenAt).default("1970-01-01 00:00:00+00:00"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(LoginSessions::Table)
                    .value(LoginSessions::LastSeenAt, Expr::col(LoginSessions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Login attempts per key ("ip:…", "email:…") and one-minute window, shared by every app
        // process on the database; old windows are deleted as they pass.
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(string_len(LoginAttempts::Key, 300))
                    .col(big_integer(LoginAttempts::WindowStart))
                    .col(integer(LoginAttempts::Attempts))
                    .primary_key(Index::create().col(LoginAttempts::Key).col(LoginAttempts::WindowStart))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginAttempts::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(LoginSessions::Table).drop_column(LoginSessions::LastSeenAt).to_owned()).await
    }
}
