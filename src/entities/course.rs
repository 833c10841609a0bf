use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub description: String,
    pub session_minutes: i32,
    pub sessions_included: i32,
    /// The price of a session beyond those included, in the currency's smallest unit; none: such
    /// sessions are free.
    pub session_price_cents: Option<i32>,
    /// ISO 4217, lower case as Stripe writes it (`usd`).
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
