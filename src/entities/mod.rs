//! sea-orm entities, one per table of `migrations/`. Server only: pages receive DTOs.
pub mod analytics_event;
pub mod availability;
pub mod course;
pub mod enrollment;
pub mod hold;
pub mod login_attempt;
pub mod login_session;
pub mod outbox;
pub mod schedule_later_request;
pub mod session;
pub mod session_change;
pub mod stripe_event;
pub mod student_teacher;
pub mod time_off;
pub mod user;

pub use schedule_later_request::RequestStatus;
pub use session::SessionStatus;
pub use session_change::{Actor, ChangeKind};
pub use user::Role;
