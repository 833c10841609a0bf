use sea_orm::entity::prelude::*;

/// Whole dates off, or one date with only `start_time`–`end_time`, in the Student-Teacher's
/// own `timezone` (see `slots::DateOverride`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "time_off")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The Student-Teacher's user id: time off covers every course they teach.
    pub teacher_id: i32,
    pub first_date: Date,
    pub last_date: Date,
    /// `HH:MM`; both or neither, and only when the two dates are equal.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub timezone: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
