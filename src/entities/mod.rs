//! sea-orm entities, one per table of `migrations/`. Server only: pages receive DTOs.
pub mod analytics_event;
pub mod availability;
pub mod course;
pub mod enrollment;
pub mod login_attempt;
pub mod login_session;
pub mod outbox;
pub mod schedule_later_request;
pub mod session;
pub mod student_teacher;
pub mod user;

/// Values of `users.role`.
pub mod role {
    pub const STUDENT: &str = "student";
    pub const TEACHER: &str = "teacher";
}

/// Values of `sessions.status`; only scheduled sessions occupy time.
pub mod session_status {
    pub const SCHEDULED: &str = "scheduled";
}

/// Values of `schedule_later_requests.status`.
pub mod request_status {
    pub const OPEN: &str = "open";
}
