//! A booked session as its two people see it: its page (with what a change would cost now)
//! and its `.ics` file, both showing the session as it is.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    calendar_file::CalendarEntry,
    change_rules::{is_late, participant, was_late},
    config::{BookingDefaults, PaymentSettings},
    presentation::{money, session_summary},
    queries::{find_course, student_teacher_of},
    timezones::parse_timezone,
};
use crate::{
    dto::{
        sessions::{ChangeTerms, Party, PaymentStep, SessionState, SessionView},
        StId,
    },
    entities::{course, session, session_change, user, Actor, ChangeKind, SessionStatus},
    error::{AppError, Subject},
    urls::StepLinks,
};

/// A session with its people and course, found only for one of its two people.
struct Seen {
    session: session::Model,
    actor: Actor,
    student: user::Model,
    tutor: user::Model,
    course: course::Model,
}

impl Seen {
    async fn load(db: &impl ConnectionTrait, viewer: &user::Model, session_id: i32) -> Result<Self, AppError> {
        let (session, actor) = participant(db, viewer, session_id).await?;
        let person = |id| async move { user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound(Subject::Session)) };
        let (student, tutor) = (person(session.student_id).await?, person(session.teacher_id).await?);
        let course = find_course(db, session.course_id).await?;
        Ok(Self { session, actor, student, tutor, course })
    }

    /// A session never paid for is its student's business only: to its Student-Teacher it was
    /// never booked, and it belongs on no calendar.
    fn booked_or_students(self, calendar: bool) -> Result<Self, AppError> {
        let unpaid = matches!(self.session.status, SessionStatus::PendingPayment | SessionStatus::Expired);
        if unpaid && (calendar || self.actor == Actor::StudentTeacher) {
            return Err(AppError::NotFound(Subject::Session));
        }
        Ok(self)
    }

    fn title(&self) -> String {
        format!("{} with {}", self.course.title, self.tutor.name)
    }
}

/// One event for every calendar, in its current state.
pub fn calendar_entry<'a>(s: &'a session::Model, title: &'a str) -> CalendarEntry<'a> {
    CalendarEntry {
        session_id: s.id,
        title,
        start: s.start_at,
        end: s.end_at,
        details: &s.note,
        location: s.video_url.as_deref(),
        sequence: s.sequence,
        cancelled: s.status == SessionStatus::Cancelled,
    }
}

/// The session's page, for its student or its Student-Teacher, at `now`.
pub async fn session_view(
    db: &impl ConnectionTrait,
    (defaults, payments): (&BookingDefaults, &PaymentSettings),
    viewer: &user::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<SessionView, AppError> {
    let seen = Seen::load(db, viewer, session_id).await?.booked_or_students(false)?;
    let s = &seen.session;
    let zone = parse_timezone(&viewer.timezone);
    let (party, other) = match seen.actor {
        Actor::Student => (Party::Student, ("Student-Teacher", &seen.tutor)),
        Actor::StudentTeacher => (Party::StudentTeacher, ("Student", &seen.student)),
    };
    let state = if s.status == SessionStatus::PendingPayment && s.hold_expires_at.is_some_and(|end| end > now) {
        let end = s.hold_expires_at.unwrap_or(now);
        SessionState::AwaitingPayment(PaymentStep {
            amount: money(s.amount_cents.unwrap_or_default(), s.currency.as_deref().unwrap_or("usd")),
            held_until: end.with_timezone(&zone).format("%-I:%M %p %Z").to_string(),
            expires_at: end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            publishable_key: payments.stripe_publishable_key.clone(),
            js_url: payments.stripe_js_url.clone(),
        })
    } else if matches!(s.status, SessionStatus::PendingPayment | SessionStatus::Expired) {
        SessionState::Unpaid
    } else if s.status == SessionStatus::Cancelled {
        let cancel = session_change::Entity::find()
            .filter(session_change::Column::SessionId.eq(s.id))
            .filter(session_change::Column::Kind.eq(ChangeKind::Cancelled))
            .one(db)
            .await?;
        let by = match cancel.as_ref().map(|c| c.actor) {
            Some(actor) if actor == seen.actor => "You".to_owned(),
            Some(Actor::Student) => seen.student.name.clone(),
            _ => seen.tutor.name.clone(),
        };
        SessionState::Cancelled { by, reason: cancel.as_ref().and_then(|c| c.reason.clone()), late: cancel.is_some_and(|c| c.late) }
    } else if now >= s.end_at {
        SessionState::Ended
    } else if now >= s.start_at {
        SessionState::Started
    } else {
        SessionState::Scheduled
    };
    let terms = match state {
        SessionState::Scheduled => Some(terms(seen.actor, s, defaults, was_late(db, s.id).await?, zone, now)),
        _ => None,
    };
    let reschedule_url = match (&state, seen.actor) {
        (SessionState::Scheduled, Actor::Student) => student_teacher_of(db, s.teacher_id, s.course_id)
            .await?
            .filter(|st| st.is_active)
            .map(|st| StepLinks::to_reschedule(s.course_id, StId(st.id), s.id)),
        _ => None,
    };
    let title = seen.title();
    let entry = calendar_entry(s, &title);
    Ok(SessionView {
        session_id: s.id,
        course_id: s.course_id,
        party,
        summary: session_summary(&seen.course, other, (s.start_at, s.end_at), zone),
        state,
        terms,
        reschedule_url,
        google_url: entry.google_link(),
        outlook_url: entry.outlook_link(),
        video_url: s.video_url.clone(),
    })
}

/// The free-cancel window as the pages say it: "24 hours", "20 days".
pub fn free_window_words(defaults: &BookingDefaults) -> String {
    match defaults.free_cancel_hours {
        1 => "1 hour".to_owned(),
        hours if hours >= 48 && hours % 24 == 0 => format!("{} days", hours / 24),
        hours => format!("{hours} hours"),
    }
}

/// What a cancel now costs `actor`, in words for a reader in `zone`.
fn terms(
    actor: Actor,
    s: &session::Model,
    defaults: &BookingDefaults,
    already_late: bool,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> ChangeTerms {
    let free = defaults.free_cancel();
    let late = is_late(actor, s.start_at, now, free, already_late);
    let window = free_window_words(defaults);
    let explanation = match actor {
        Actor::StudentTeacher => "If you cancel, your student gets this session back and is told at once.".to_owned(),
        Actor::Student if already_late => {
            format!("This session was moved less than {window} before its start, so cancelling it counts it as used.")
        }
        Actor::Student if late => {
            format!("It is less than {window} before the start: if you cancel now, this session counts as used.")
        }
        Actor::Student => {
            let until = (s.start_at - free).with_timezone(&zone).format("%A, %B %-d at %-I:%M %p %Z");
            format!(
                "Free to cancel or reschedule until {until} ({window} before the start). After that, a cancel counts the session as used."
            )
        }
    };
    ChangeTerms { late, explanation }
}

/// The session's `.ics` file, as it is now (a cancelled one says so), for either of its people.
pub async fn calendar_file(
    db: &impl ConnectionTrait,
    viewer: &user::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let seen = Seen::load(db, viewer, session_id).await?.booked_or_students(true)?;
    let title = seen.title();
    Ok(calendar_entry(&seen.session, &title).ics(now))
}
