use sea_orm::entity::prelude::*;

/// One cancel or reschedule of a session: the version it made and what it replaced.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "session_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    /// The session's sequence after this change (unique per session).
    pub sequence: i32,
    pub kind: ChangeKind,
    pub actor: Actor,
    pub previous_start_at: DateTimeUtc,
    pub previous_end_at: DateTimeUtc,
    /// Why, in the canceller's words.
    pub reason: Option<String>,
    /// Made by the student within `booking.free_cancel_hours` of the start.
    pub late: bool,
    /// A reschedule's request key (unique per session), so a repeat answers the first result.
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ChangeKind {
    #[sea_orm(string_value = "rescheduled")]
    Rescheduled,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// Who made a change: one of the session's two people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Actor {
    #[sea_orm(string_value = "student")]
    Student,
    #[sea_orm(string_value = "student_teacher")]
    StudentTeacher,
}

impl Actor {
    /// The contract's name (analytics `by`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::StudentTeacher => "student_teacher",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
