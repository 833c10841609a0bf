//! Email: the confirmation to both people, with a calendar invitation, the student's
//! reminders, and each change (a move, a cancel) to both, with the calendar's update. A background task sends what the outbox (`server::outbox`) holds: over SMTP with
//! lettre when `BOOKING_SMTP_URL` is set, else into `.eml` files under `mail_dir`, so a
//! newcomer can open what would have been sent.
use chrono::{DateTime, Utc};
use lettre::{
    message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::{path::PathBuf, sync::Arc, time::Duration};
use tokio::sync::Notify;

use super::{
    booked::calendar_entry,
    calendar_file::Invitation,
    config::Settings,
    outbox,
    presentation::session_labels,
    timezones::{parse_timezone, timezone_label},
};
use crate::entities::{
    course,
    outbox::{MessageKind, Model as OutboxMessage},
    session, session_change, user, Actor, ChangeKind, SessionStatus,
};

/// How often the worker looks for due messages when nothing wakes it (reminders, retries).
const POLL: Duration = Duration::from_secs(5);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    async fn send(&self, message: Message, file_name: &str) -> Result<(), String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| format!("{}: {e}", dir.display()))?;
                tokio::fs::write(dir.join(file_name), message.formatted()).await.map_err(|e| e.to_string())
            }
        }
    }
}

/// What every message needs besides its session.
struct Context {
    from: Mailbox,
    /// Where links in a message point: the public origin, else the address the server listens on.
    origin: String,
}

/// The handle that wakes the worker when a booking has queued messages.
#[derive(Clone)]
pub struct MailWorker {
    wake: Arc<Notify>,
}

impl MailWorker {
    /// Starts the worker task on the current runtime.
    pub fn start(db: DatabaseConnection, settings: &Settings) -> Result<Self, String> {
        let mail = &settings.notifications;
        let transport = match &mail.smtp_url {
            Some(url) => {
                Transport::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("BOOKING_SMTP_URL: {e}"))?.build())
            }
            None => Transport::Files(PathBuf::from(&mail.mail_dir)),
        };
        let context = Context {
            from: mail.mail_from.parse().map_err(|e| format!("mail_from: {e}"))?,
            origin: settings.server.public_origin.clone().unwrap_or_else(|| format!("http://{}", settings.server.site_addr)),
        };
        let wake = Arc::new(Notify::new());
        tokio::spawn(work(db, transport, context, wake.clone()));
        Ok(Self { wake })
    }

    /// Looks for due messages now rather than at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

async fn work(db: DatabaseConnection, transport: Transport, context: Context, wake: Arc<Notify>) {
    loop {
        if let Err(error) = deliver_due(&db, &transport, &context).await {
            tracing::warn!(%error, "cannot read the outbox");
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Sends every due message this worker can claim.
async fn deliver_due(db: &DatabaseConnection, transport: &Transport, context: &Context) -> Result<(), sea_orm::DbErr> {
    loop {
        let due = outbox::due(db, outbox::Worker::Mail, Utc::now()).await?;
        if due.is_empty() {
            return Ok(());
        }
        for message in due {
            if !outbox::claim(db, &message, Utc::now()).await? {
                continue;
            }
            let sent = match compose(db, context, &message).await {
                Ok(Some((email, file_name))) => transport.send(email, &file_name).await,
                // The session is gone, or changed since: nothing (more) to say.
                Ok(None) => Ok(()),
                Err(problem) => Err(problem),
            };
            match sent {
                Ok(()) => outbox::mark_sent(db, message.id, Utc::now()).await?,
                Err(problem) => {
                    tracing::warn!(message = message.id, attempt = message.attempts + 1, %problem, "email not sent; will retry");
                    outbox::mark_failed(db, &message, &problem, Utc::now()).await?;
                }
            }
        }
    }
}

/// The email an outbox row stands for, and the file name it gets without SMTP. A message
/// speaks for one version of its session: once the session has changed again, the later
/// change's own message says what is true, and this one is not sent.
async fn compose(db: &DatabaseConnection, context: &Context, message: &OutboxMessage) -> Result<Option<(Message, String)>, String> {
    let found = load(db, message.session_id, message.sequence).await.map_err(|e| e.to_string())?;
    let Some(Found { session: s, student, tutor, course, change }) = found else { return Ok(None) };
    let still_true = match message.kind {
        MessageKind::StudentRefunded => s.status == SessionStatus::Expired,
        kind => s.status == SessionStatus::Scheduled || is_cancel(kind),
    };
    if s.sequence != message.sequence || !still_true {
        return Ok(None);
    }
    let people = People { student: &student, tutor: &tutor, course: &course };
    let email = render(context, message.kind, &s, change.as_ref(), &people, Utc::now())?;
    let what = match message.kind {
        MessageKind::TutorConfirmation => "tutor",
        MessageKind::StudentConfirmation => "student",
        MessageKind::Reminder => "reminder",
        MessageKind::StudentRescheduled => "student-moved",
        MessageKind::TutorRescheduled => "tutor-moved",
        MessageKind::StudentCancelled => "student-cancelled",
        MessageKind::TutorCancelled => "tutor-cancelled",
        MessageKind::StudentRefunded => "student-refunded",
        // Refunds are the payments worker's, never an email.
        MessageKind::Refund => return Ok(None),
    };
    Ok(Some((email, format!("session-{}-{what}-{}.eml", s.id, message.id))))
}

fn is_cancel(kind: MessageKind) -> bool {
    matches!(kind, MessageKind::StudentCancelled | MessageKind::TutorCancelled)
}

fn is_change(kind: MessageKind) -> bool {
    is_cancel(kind) || matches!(kind, MessageKind::StudentRescheduled | MessageKind::TutorRescheduled)
}

fn to_tutor(kind: MessageKind) -> bool {
    matches!(kind, MessageKind::TutorConfirmation | MessageKind::TutorRescheduled | MessageKind::TutorCancelled)
}

struct Found {
    session: session::Model,
    student: user::Model,
    tutor: user::Model,
    course: course::Model,
    /// The change that made version `sequence`, if one did.
    change: Option<session_change::Model>,
}

async fn load(db: &DatabaseConnection, session_id: i32, sequence: i32) -> Result<Option<Found>, sea_orm::DbErr> {
    let Some(s) = session::Entity::find_by_id(session_id).one(db).await? else { return Ok(None) };
    let student = user::Entity::find_by_id(s.student_id).one(db).await?;
    let tutor = user::Entity::find_by_id(s.teacher_id).one(db).await?;
    let course = course::Entity::find_by_id(s.course_id).one(db).await?;
    let change = session_change::Entity::find()
        .filter(session_change::Column::SessionId.eq(session_id))
        .filter(session_change::Column::Sequence.eq(sequence))
        .one(db)
        .await?;
    Ok(student.zip(tutor).zip(course).map(|((student, tutor), course)| Found { session: s, student, tutor, course, change }))
}

/// A session's two people and its course.
struct People<'a> {
    student: &'a user::Model,
    tutor: &'a user::Model,
    course: &'a course::Model,
}

/// One message, in its reader's own timezone, as plain text and HTML; all but a reminder carry
/// the calendar's update: the invitation, its move, or its cancel.
fn render(
    context: &Context,
    kind: MessageKind,
    s: &session::Model,
    change: Option<&session_change::Model>,
    people: &People,
    now: DateTime<Utc>,
) -> Result<Message, String> {
    let People { student, tutor, course } = *people;
    let (reader, other, other_role) = if to_tutor(kind) { (tutor, student, "Student") } else { (student, tutor, "Student-Teacher") };
    let zone = parse_timezone(&reader.timezone);
    let (date, time) = session_labels(s.start_at, s.end_at, zone);
    let by_reader = change.is_some_and(|c| (c.actor == Actor::StudentTeacher) == to_tutor(kind));
    let subject = match kind {
        MessageKind::StudentConfirmation => format!("Session booked: {} with {}, {date}", course.title, tutor.name),
        MessageKind::TutorConfirmation => format!("New session: {} with {}, {date}", course.title, student.name),
        MessageKind::Reminder => format!("Reminder: {} with {}, {date}, {time}", course.title, tutor.name),
        MessageKind::StudentRescheduled | MessageKind::TutorRescheduled => {
            format!("Session moved: {} with {}, now {date}, {time}", course.title, other.name)
        }
        MessageKind::StudentCancelled | MessageKind::TutorCancelled => {
            format!("Session cancelled: {} with {}, {date}", course.title, other.name)
        }
        MessageKind::StudentRefunded | MessageKind::Refund => format!("Payment refunded: {} with {}, {date}", course.title, tutor.name),
    };
    let opening = match kind {
        MessageKind::StudentConfirmation => "Your session is booked.".to_owned(),
        MessageKind::TutorConfirmation => format!("{} booked a session with you.", student.name),
        MessageKind::Reminder => "A reminder of your upcoming session.".to_owned(),
        MessageKind::StudentRescheduled => "Your session has moved to a new time.".to_owned(),
        MessageKind::TutorRescheduled => format!("{} moved their session with you to a new time.", student.name),
        MessageKind::StudentRefunded | MessageKind::Refund => {
            "Your payment arrived after this time's hold had ended and someone else had booked it, so the session is not booked and your payment was refunded in full.".to_owned()
        }
        _ if by_reader => "You cancelled this session.".to_owned(),
        MessageKind::StudentCancelled => format!("{} cancelled your session. It does not count against your sessions.", tutor.name),
        _ => format!("{} cancelled their session with you. The time is free again.", student.name),
    };
    let mut facts = vec![
        ("Course", course.title.clone()),
        (other_role, other.name.clone()),
        ("Date", date),
        ("Time", format!("{time} ({})", timezone_label(&reader.timezone))),
        ("Length", format!("{} minutes", course.session_minutes)),
    ];
    // What changed, in the change's own message only (a later reminder is just a reminder).
    if let Some(c) = change.filter(|_| is_change(kind)) {
        if c.kind == ChangeKind::Rescheduled {
            let (was_date, was_time) = session_labels(c.previous_start_at, c.previous_end_at, zone);
            facts.push(("Was", format!("{was_date}, {was_time}")));
        }
        if let Some(reason) = &c.reason {
            facts.push(("Reason", reason.clone()));
        }
        if c.kind == ChangeKind::Cancelled && c.late && !to_tutor(kind) {
            facts.push(("Policy", "Cancelled late, so this session counts as used.".to_owned()));
        }
    }
    if !s.note.is_empty() {
        facts.push(("Note", s.note.clone()));
    }
    let cancelled = matches!(s.status, SessionStatus::Cancelled | SessionStatus::Expired);
    if let Some(room) = s.video_url.as_ref().filter(|_| !cancelled) {
        facts.push(("Video room", room.clone()));
    }
    let title = format!("{} with {}", course.title, tutor.name);
    let entry = calendar_entry(s, &title);
    // A moved session's calendar links, for calendars that took the first one by hand.
    if matches!(kind, MessageKind::StudentRescheduled | MessageKind::TutorRescheduled) {
        facts.push(("Google Calendar", entry.google_link()));
        facts.push(("Outlook", entry.outlook_link()));
    }
    let link = format!("{}/sessions/{}", context.origin, s.id);
    let action = match (cancelled, to_tutor(kind)) {
        (true, _) => "See it on PeerTutor",
        (false, true) => "See or cancel it on PeerTutor",
        (false, false) => "See, reschedule or cancel it on PeerTutor",
    };
    let first_name = reader.name.split_whitespace().next().unwrap_or(&reader.name);
    let text = format!(
        "Hi {first_name},\n\n{opening}\n\n{}\n\n{action}: {link}\n",
        facts.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
    );
    let e = |t: &str| html_escape::encode_text(t).into_owned();
    let rows: String = facts
        .iter()
        .map(|(k, v)| {
            let value = if matches!(*k, "Video room" | "Google Calendar" | "Outlook") {
                format!(
                    "<a href=\"{}\">{}</a>",
                    html_escape::encode_double_quoted_attribute(v),
                    if *k == "Video room" { e(v) } else { format!("Add to {k}") }
                )
            } else {
                e(v)
            };
            format!("<tr><th align=\"left\" style=\"padding:4px 12px 4px 0\">{}</th><td style=\"padding:4px 0\">{value}</td></tr>", e(k))
        })
        .collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1a1d2e\"><p>Hi {},</p><p>{}</p><table>{rows}</table><p><a href=\"{}\">{}</a></p></body></html>",
        e(first_name),
        e(&opening),
        html_escape::encode_double_quoted_attribute(&link),
        e(action)
    );
    let to = Mailbox::new(Some(reader.name.clone()), reader.email.parse().map_err(|e| format!("{}: {e}", reader.email))?);
    let builder = Message::builder().from(context.from.clone()).to(to).subject(subject);
    let body = MultiPart::alternative_plain_html(text, html);
    // A reminder changes no calendar; a refunded session was never on one.
    if matches!(kind, MessageKind::Reminder | MessageKind::StudentRefunded | MessageKind::Refund) {
        return builder.multipart(body).map_err(|e| e.to_string());
    }
    let organizer = context.from.email.to_string();
    let invitation = Invitation { organizer: &organizer, attendees: [&student.email, &tutor.email] };
    let ics = entry.invitation(now, &invitation);
    let calendar = ContentType::parse(&format!("text/calendar; method={}; charset=utf-8", entry.method())).expect("a valid content type");
    let invite: SinglePart = Attachment::new("invite.ics".to_owned()).body(ics, calendar);
    builder.multipart(MultiPart::mixed().multipart(body).singlepart(invite)).map_err(|e| e.to_string())
}
