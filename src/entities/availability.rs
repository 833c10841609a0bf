use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "availability")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub teacher_id: i32,
    pub day_of_week: i16,
    pub start_time: String,
    pub end_time: String,
    pub timezone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
