use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub email: String,
    pub avatar_url: Option<String>,
    pub timezone: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTimeUtc,
}

/// What an account is for: students book, Student-Teachers teach (and may book too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "student")]
    Student,
    #[sea_orm(string_value = "teacher")]
    Teacher,
}

impl Role {
    /// Where the account lands after login: students book, Student-Teachers see whom they teach.
    pub fn home(self) -> &'static str {
        match self {
            Self::Student => "/dashboard",
            Self::Teacher => "/teach",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
