use sea_orm::entity::prelude::*;

/// Login attempts counted under one key (`ip:…` or `email:…`) in one window.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The window's start, in whole minutes since the Unix epoch.
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_start: i64,
    pub attempts: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
