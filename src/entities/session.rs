use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub student_id: i32,
    pub teacher_id: i32,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub status: SessionStatus,
    pub note: String,
    pub reminders: bool,
    pub created_at: DateTimeUtc,
    /// The booking request's key; unique per student (`ux_sessions_student_idempotency_key`).
    pub idempotency_key: Option<String>,
    /// The session's video room (`server::video`); none for sessions booked before rooms.
    pub video_url: Option<String>,
    /// Changes so far (`session_change`): the calendar's SEQUENCE, and the version a change
    /// must still find to apply.
    pub sequence: i32,
    /// What the student paid (smallest currency unit); none for a session the course includes.
    pub amount_cents: Option<i32>,
    pub currency: Option<String>,
    /// The Stripe PaymentIntent paying for it.
    pub payment_intent_id: Option<String>,
    /// A session awaiting payment holds its time for everyone until then.
    pub hold_expires_at: Option<DateTimeUtc>,
}

/// Scheduled sessions occupy time, and so does one awaiting payment until its hold ends. Moves
/// only forward: awaiting payment to scheduled or expired (an expired one to scheduled when a
/// late payment finds its time still free), scheduled to cancelled; a cancel is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SessionStatus {
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "pending_payment")]
    PendingPayment,
    /// Its payment failed or never came: its time was released and nothing was sent.
    #[sea_orm(string_value = "expired")]
    Expired,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
