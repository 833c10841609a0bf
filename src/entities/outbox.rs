use sea_orm::entity::prelude::*;

/// A message a booking owes (`server::mail`), or a refund (`server::payments`): written with
/// the change that owes it, carried out by a worker.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub kind: MessageKind,
    /// For a reminder, how long before the session it is due; 0 otherwise.
    pub lead_minutes: i32,
    pub send_after: DateTimeUtc,
    pub attempts: i32,
    /// A worker that claimed the message owns it until then; past it, another may try.
    pub claimed_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    /// The session's version the message speaks for; a later change supersedes it.
    pub sequence: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum MessageKind {
    #[sea_orm(string_value = "student_confirmation")]
    StudentConfirmation,
    #[sea_orm(string_value = "tutor_confirmation")]
    TutorConfirmation,
    #[sea_orm(string_value = "reminder")]
    Reminder,
    #[sea_orm(string_value = "student_rescheduled")]
    StudentRescheduled,
    #[sea_orm(string_value = "tutor_rescheduled")]
    TutorRescheduled,
    #[sea_orm(string_value = "student_cancelled")]
    StudentCancelled,
    #[sea_orm(string_value = "tutor_cancelled")]
    TutorCancelled,
    /// Tells the student their payment came too late for its time and was refunded.
    #[sea_orm(string_value = "student_refunded")]
    StudentRefunded,
    /// Not an email: the session's full refund through Stripe, made by the payments worker.
    #[sea_orm(string_value = "refund")]
    Refund,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
