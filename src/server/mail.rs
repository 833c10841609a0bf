//! Email: the confirmation to both people, with a calendar invitation, and the student's
//! reminders. A background task sends what the outbox (`server::outbox`) holds: over SMTP with
//! lettre when `BOOKING_SMTP_URL` is set, else into `.eml` files under `mail_dir`, so a
//! newcomer can open what would have been sent.
use chrono::{DateTime, Utc};
use lettre::{
    message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{DatabaseConnection, EntityTrait};
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
    session, user, SessionStatus,
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
        let due = outbox::due(db, Utc::now()).await?;
        if due.is_empty() {
            return Ok(());
        }
        for message in due {
            if !outbox::claim(db, &message, Utc::now()).await? {
                continue;
            }
            let sent = match compose(db, context, &message).await {
                Ok(Some((email, file_name))) => transport.send(email, &file_name).await,
                // The session is gone or no longer scheduled: nothing to say.
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

/// The email an outbox row stands for, and the file name it gets without SMTP.
async fn compose(db: &DatabaseConnection, context: &Context, message: &OutboxMessage) -> Result<Option<(Message, String)>, String> {
    let found = load(db, message.session_id).await.map_err(|e| e.to_string())?;
    let Some((s, student, tutor, course)) = found else { return Ok(None) };
    if s.status != SessionStatus::Scheduled {
        return Ok(None);
    }
    let email = render(context, message.kind, &s, &student, &tutor, &course, Utc::now())?;
    let who = match message.kind {
        MessageKind::TutorConfirmation => "tutor",
        MessageKind::StudentConfirmation => "student",
        MessageKind::Reminder => "reminder",
    };
    Ok(Some((email, format!("session-{}-{who}-{}.eml", s.id, message.id))))
}

async fn load(
    db: &DatabaseConnection,
    session_id: i32,
) -> Result<Option<(session::Model, user::Model, user::Model, course::Model)>, sea_orm::DbErr> {
    let Some(s) = session::Entity::find_by_id(session_id).one(db).await? else { return Ok(None) };
    let student = user::Entity::find_by_id(s.student_id).one(db).await?;
    let tutor = user::Entity::find_by_id(s.teacher_id).one(db).await?;
    let course = course::Entity::find_by_id(s.course_id).one(db).await?;
    Ok(student.zip(tutor).zip(course).map(|((student, tutor), course)| (s, student, tutor, course)))
}

/// One message, in its reader's own timezone, as plain text and HTML; a confirmation carries
/// the calendar invitation.
fn render(
    context: &Context,
    kind: MessageKind,
    s: &session::Model,
    student: &user::Model,
    tutor: &user::Model,
    course: &course::Model,
    now: DateTime<Utc>,
) -> Result<Message, String> {
    let (reader, other, other_role) = match kind {
        MessageKind::TutorConfirmation => (tutor, student, "Student"),
        MessageKind::StudentConfirmation | MessageKind::Reminder => (student, tutor, "Student-Teacher"),
    };
    let zone = parse_timezone(&reader.timezone);
    let (date, time) = session_labels(s.start_at, s.end_at, zone);
    let subject = match kind {
        MessageKind::StudentConfirmation => format!("Session booked: {} with {}, {date}", course.title, tutor.name),
        MessageKind::TutorConfirmation => format!("New session: {} with {}, {date}", course.title, student.name),
        MessageKind::Reminder => format!("Reminder: {} with {}, {date}, {time}", course.title, tutor.name),
    };
    let opening = match kind {
        MessageKind::StudentConfirmation => "Your session is booked.".to_owned(),
        MessageKind::TutorConfirmation => format!("{} booked a session with you.", student.name),
        MessageKind::Reminder => "A reminder of your upcoming session.".to_owned(),
    };
    let mut facts = vec![
        ("Course", course.title.clone()),
        (other_role, other.name.clone()),
        ("Date", date),
        ("Time", format!("{time} ({})", timezone_label(&reader.timezone))),
        ("Length", format!("{} minutes", course.session_minutes)),
    ];
    if !s.note.is_empty() {
        facts.push(("Note", s.note.clone()));
    }
    if let Some(room) = &s.video_url {
        facts.push(("Video room", room.clone()));
    }
    let link = match kind {
        MessageKind::TutorConfirmation => format!("{}/dashboard", context.origin),
        _ => format!("{}/sessions/{}/booked", context.origin, s.id),
    };
    let first_name = reader.name.split_whitespace().next().unwrap_or(&reader.name);
    let text = format!(
        "Hi {first_name},\n\n{opening}\n\n{}\n\nSee it on PeerTutor: {link}\n",
        facts.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("\n")
    );
    let e = |t: &str| html_escape::encode_text(t).into_owned();
    let rows: String = facts
        .iter()
        .map(|(k, v)| {
            let value =
                if *k == "Video room" { format!("<a href=\"{0}\">{0}</a>", html_escape::encode_double_quoted_attribute(v)) } else { e(v) };
            format!("<tr><th align=\"left\" style=\"padding:4px 12px 4px 0\">{}</th><td style=\"padding:4px 0\">{value}</td></tr>", e(k))
        })
        .collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1a1d2e\"><p>Hi {},</p><p>{}</p><table>{rows}</table><p><a href=\"{}\">See it on PeerTutor</a></p></body></html>",
        e(first_name),
        e(&opening),
        html_escape::encode_double_quoted_attribute(&link)
    );
    let to = Mailbox::new(Some(reader.name.clone()), reader.email.parse().map_err(|e| format!("{}: {e}", reader.email))?);
    let builder = Message::builder().from(context.from.clone()).to(to).subject(subject);
    let body = MultiPart::alternative_plain_html(text, html);
    if kind == MessageKind::Reminder {
        return builder.multipart(body).map_err(|e| e.to_string());
    }
    let title = format!("{} with {}", course.title, tutor.name);
    let organizer = context.from.email.to_string();
    let invitation = Invitation { organizer: &organizer, attendees: [&student.email, &tutor.email] };
    let ics = calendar_entry(s, &title).invitation(now, &invitation);
    let calendar = ContentType::parse("text/calendar; method=REQUEST; charset=utf-8").expect("a valid content type");
    let invite: SinglePart = Attachment::new("invite.ics".to_owned()).body(ics, calendar);
    builder.multipart(MultiPart::mixed().multipart(body).singlepart(invite)).map_err(|e| e.to_string())
}
