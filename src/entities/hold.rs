use sea_orm::entity::prelude::*;

/// A time held for a student while they confirm it (`server::holds`): busy for everyone else
/// until `expires_at`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "holds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub student_id: i32,
    pub teacher_id: i32,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
