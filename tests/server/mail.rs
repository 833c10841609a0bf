//! Email after booking, through a real SMTP server (aiosmtpd, which `scripts/setup.sh --test`
//! installs into `.tools/venv`): who gets what, the invitation, reminders sent and not sent,
//! delivery after the server was down, one send per message with two app processes, and the
//! `.eml` files written when no SMTP server is configured.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use session_booking::server::outbox::MAX_ATTEMPTS;
use session_booking::{
    dto::wizard::Booked,
    entities::{outbox, session},
};
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::harness::{body_text, book_session, first_free_start, listening, ok_json, Backend, TestApp};

/// aiosmtpd on a port of its own, keeping what it receives in a Maildir.
struct SmtpServer {
    port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/python");
    venv.exists().then_some(venv)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpServer {
    /// None where aiosmtpd is not installed (CI installs it, and requires it).
    async fn start(port: u16) -> Option<Self> {
        let Some(python) = python() else {
            assert!(std::env::var_os("CI").is_none(), "CI must install aiosmtpd (scripts/setup.sh --test)");
            eprintln!("aiosmtpd is not installed (scripts/setup.sh --test); mail test not run");
            return None;
        };
        let maildir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            // A path that does not exist yet, so that the Maildir is made with its folders.
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        if listening(port).await {
            return Some(SmtpServer { port, maildir, child });
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on {port}");
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<Vec<u8>> {
        messages_in(&self.maildir.path().join("box/new"))
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn messages_in(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.filter_map(Result::ok).map(|e| std::fs::read(e.path()).unwrap()).collect()
}

/// Waits until `read` finds at least `n` things, and returns them.
async fn wait_for<T, F: std::future::Future<Output = Vec<T>>>(n: usize, read: impl Fn() -> F) -> Vec<T> {
    for _ in 0..200 {
        let found = read().await;
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {n}, found {} after 20 s", read().await.len());
}

/// A received message: its headers and its parts, decoded.
struct Mail {
    to: String,
    subject: String,
    parts: Vec<(String, String)>,
}

impl Mail {
    fn parse(raw: &[u8]) -> Self {
        use mailparse::MailHeaderMap;
        let parsed = mailparse::parse_mail(raw).unwrap();
        let mut parts = Vec::new();
        collect_parts(&parsed, &mut parts);
        let header = |name| parsed.headers.get_first_value(name).unwrap_or_default();
        Mail { to: header("To"), subject: header("Subject"), parts }
    }

    fn part(&self, mime: &str) -> &str {
        self.parts
            .iter()
            .find(|(m, _)| m.starts_with(mime))
            .map(|(_, body)| body.as_str())
            .unwrap_or_else(|| panic!("no {mime} part in {:?}", self.subject))
    }
}

fn collect_parts(mail: &mailparse::ParsedMail, into: &mut Vec<(String, String)>) {
    if mail.subparts.is_empty() {
        let content_type =
            mail.headers.iter().find(|h| h.get_key_ref().eq_ignore_ascii_case("content-type")).map(|h| h.get_value()).unwrap_or_default();
        into.push((content_type, mail.get_body().unwrap()));
    }
    for part in &mail.subparts {
        collect_parts(part, into);
    }
}

async fn smtp_app(backend: Backend, smtp: &str, reminder_minutes: Vec<u32>) -> TestApp {
    let smtp = smtp.to_owned();
    TestApp::configured(backend, move |s| {
        s.notifications.smtp_url = Some(smtp);
        s.notifications.reminder_minutes = reminder_minutes;
    })
    .await
}

async fn both_people_get_a_confirmation_with_the_invitation_and_the_student_reminders(backend: Backend) {
    let Some(smtp) = SmtpServer::start(free_port()).await else { return };
    // A lead time longer than the wait until the session is due at once; a minute before is not yet.
    let app = smtp_app(backend, &smtp.url(), vec![59 * 24 * 60, 1]).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let booked: Booked = ok_json(book_session(&app, &maya, tom, &start, true, "mail-test-1").await).await;

    let mails: Vec<Mail> = wait_for(3, || async { smtp.received() }).await.iter().map(|raw| Mail::parse(raw)).collect();
    let row = session::Entity::find_by_id(booked.session_id).one(app.db()).await.unwrap().unwrap();
    let room = row.video_url.clone().expect("a video room");
    assert!(room.starts_with("https://meet.jit.si/peertutor-"), "{room}");
    let to = |who: &str, subject: &str| {
        mails.iter().find(|m| m.to.contains(who) && m.subject.starts_with(subject)).unwrap_or_else(|| panic!("no {subject:?} to {who}"))
    };

    let student = to("maya@student.test", "Session booked: Algebra I with Tom");
    let tutor = to("tom@tutor.test", "New session: Algebra I with Maya Chen");
    let reminder = to("maya@student.test", "Reminder: Algebra I with Tom");
    // Each in the reader's own timezone, as text and HTML, with the note and the room.
    assert!(student.part("text/plain").contains("Eastern Time (New York)"), "{}", student.part("text/plain"));
    assert!(tutor.part("text/plain").contains("UK Time (London)"), "{}", tutor.part("text/plain"));
    for mail in [student, tutor, reminder] {
        for part in ["text/plain", "text/html"] {
            assert!(mail.part(part).contains(&room), "{part} of {:?} has the video room", mail.subject);
            assert!(mail.part(part).contains("Chapter 3, please"), "{part} of {:?} has the note", mail.subject);
        }
    }
    // The confirmations carry the invitation: the same event as the download, in UTC.
    let utc = start.replace(['-', ':'], "");
    let download = body_text(app.get(&format!("/sessions/{}/calendar", booked.session_id), Some(&maya)).await).await;
    let uid = download.lines().find(|l| l.starts_with("UID:")).unwrap().to_owned();
    for mail in [student, tutor] {
        let (mime, invite) = mail.parts.iter().find(|(m, _)| m.starts_with("text/calendar")).expect("an invitation");
        assert!(mime.contains("method=REQUEST"), "{mime}");
        for line in [
            "METHOD:REQUEST",
            &format!("DTSTART:{utc}"),
            &uid,
            &format!("LOCATION:{room}"),
            "ATTENDEE:mailto:maya@student.test",
            "ATTENDEE:mailto:tom@tutor.test",
        ] {
            assert!(invite.lines().any(|l| l == line), "missing {line}:\n{invite}");
        }
    }
    assert!(!reminder.parts.iter().any(|(m, _)| m.starts_with("text/calendar")));

    // Reminders off: the two confirmations and nothing else, now or later.
    let kenji = app.login("kenji@student.test").await;
    let later = first_free_start(&app, &kenji, tom).await;
    let quiet: Booked = ok_json(book_session(&app, &kenji, tom, &later, false, "mail-test-2").await).await;
    wait_for(5, || async { smtp.received() }).await;
    let queued = outbox::Entity::find().filter(outbox::Column::SessionId.eq(quiet.session_id)).all(app.db()).await.unwrap();
    assert_eq!(queued.len(), 2, "no reminder rows for a session booked without reminders");
    // The minute-before reminder waits for its time; the one due at once went once.
    // (The worker marks a row sent just after the SMTP server has its message: wait for that.)
    let unsent = || async { outbox::Entity::find().filter(outbox::Column::SentAt.is_null()).all(app.db()).await.unwrap() };
    let mut waiting = unsent().await;
    for _ in 0..100 {
        if waiting.len() <= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        waiting = unsent().await;
    }
    assert_eq!(waiting.iter().map(|m| (m.session_id, m.lead_minutes)).collect::<Vec<_>>(), [(booked.session_id, 1)]);
    app.state.mail.wake();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 5, "each message once");
}

async fn mail_for_a_booking_made_while_the_server_was_down_arrives_when_it_is_back(backend: Backend) {
    let port = free_port();
    let app = smtp_app(backend, &format!("smtp://127.0.0.1:{port}"), vec![]).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    // The booking does not wait for mail: it succeeds with the server down.
    let booked: Booked = ok_json(book_session(&app, &maya, tom, &start, false, "mail-down-1").await).await;
    let failed = wait_for(2, || outbox_failed(&app)).await;
    assert!(failed.iter().all(|m| m.attempts == 1 && m.last_error.is_some() && m.send_after > chrono::Utc::now()), "retried later");

    let Some(smtp) = SmtpServer::start(port).await else { return };
    // The backoff has passed (set, rather than waited for), and the worker looks again.
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SendAfter, sea_orm::sea_query::Expr::value(chrono::Utc::now()))
        .exec(app.db())
        .await
        .unwrap();
    app.state.mail.wake();
    let mails = wait_for(2, || async { smtp.received() }).await;
    assert_eq!(mails.len(), 2);
    // The worker marks a message sent just after the SMTP server has it: wait for the rows too.
    let sent = || async {
        let filter = outbox::Column::SessionId.eq(booked.session_id);
        outbox::Entity::find().filter(filter).filter(outbox::Column::SentAt.is_not_null()).all(app.db()).await.unwrap()
    };
    let rows = wait_for(2, sent).await;
    assert!(rows.iter().all(|m| m.attempts == 2), "sent on the second try");
}

/// A message that failed its last attempt is failed for good: neither retried nor sent.
async fn a_message_out_of_attempts_is_not_tried_again(backend: Backend) {
    let port = free_port();
    let app = smtp_app(backend, &format!("smtp://127.0.0.1:{port}"), vec![]).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    ok_json::<Booked>(book_session(&app, &maya, tom, &start, false, "mail-gave-up-1").await).await;
    wait_for(2, || outbox_failed(&app)).await;
    // One message has used every attempt; the other has one left.
    let rows = outbox_failed(&app).await;
    let (spent, last_try) = (rows[0].id, rows[1].id);
    for (id, attempts) in [(spent, MAX_ATTEMPTS), (last_try, MAX_ATTEMPTS - 1)] {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Attempts, sea_orm::sea_query::Expr::value(attempts))
            .col_expr(outbox::Column::SendAfter, sea_orm::sea_query::Expr::value(chrono::Utc::now()))
            .filter(outbox::Column::Id.eq(id))
            .exec(app.db())
            .await
            .unwrap();
    }
    let Some(smtp) = SmtpServer::start(port).await else { return };
    app.state.mail.wake();
    wait_for(1, || async { smtp.received() }).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1, "only the message with an attempt left");
    let spent = outbox::Entity::find_by_id(spent).one(app.db()).await.unwrap().unwrap();
    assert!(spent.sent_at.is_none() && spent.attempts == MAX_ATTEMPTS && spent.last_error.is_some());
}

async fn outbox_failed(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find().filter(outbox::Column::LastError.is_not_null()).all(app.db()).await.unwrap()
}

async fn two_app_processes_send_each_message_once(backend: Backend) {
    let Some(smtp) = SmtpServer::start(free_port()).await else { return };
    let first = smtp_app(backend, &smtp.url(), vec![]).await;
    let second = first.second_process().await;
    let tom = first.st_id("tom@tutor.test", "Algebra I").await;
    for (i, (app, who)) in [(&first, "maya@student.test"), (&second, "kenji@student.test")].into_iter().enumerate() {
        let cookie = app.login(who).await;
        let start = first_free_start(app, &cookie, tom).await;
        ok_json::<Booked>(book_session(app, &cookie, tom, &start, false, &format!("two-processes-{i}")).await).await;
        // Both workers look at once, for every message.
        first.state.mail.wake();
        second.state.mail.wake();
    }
    wait_for(4, || async { smtp.received() }).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smtp.received().len(), 4, "two confirmations per booking, each sent by one process");
}

async fn without_smtp_each_message_is_an_eml_file(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let booked: Booked = ok_json(book_session(&app, &maya, tom, &start, false, "eml-file-1").await).await;
    let files = wait_for(2, || async { messages_in(app.mail_dir.path()) }).await;
    let mails: Vec<Mail> = files.iter().map(|raw| Mail::parse(raw)).collect();
    assert!(mails.iter().any(|m| m.to.contains("maya@student.test")) && mails.iter().any(|m| m.to.contains("tom@tutor.test")));
    assert!(mails.iter().all(|m| m.part("text/calendar").contains("METHOD:REQUEST")));
    let names: Vec<String> =
        std::fs::read_dir(app.mail_dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| n.starts_with(&format!("session-{}-", booked.session_id)) && n.ends_with(".eml")), "{names:?}");
}

/// The calendar part of a message, parsed back: its METHOD, and the event's UID, SEQUENCE,
/// STATUS and DTSTART.
fn invitation(mail: &Mail) -> (String, [String; 4]) {
    let (mime, ics) =
        mail.parts.iter().find(|(m, _)| m.starts_with("text/calendar")).unwrap_or_else(|| panic!("no invitation in {:?}", mail.subject));
    use icalendar::Component;
    let calendar: icalendar::Calendar = ics.parse().expect("the invitation parses");
    let method = calendar.properties.iter().find(|p| p.key() == "METHOD").map(|p| p.value().to_owned()).unwrap_or_default();
    assert!(mime.contains(&format!("method={method}")), "{mime} names the same method as the file");
    let event = calendar.components.iter().find_map(|c| c.as_event()).expect("an event");
    let value = |key| event.property_value(key).unwrap_or_default().to_owned();
    (method, [value("UID"), value("SEQUENCE"), value("STATUS"), value("DTSTART")])
}

async fn each_change_mails_both_people_the_calendars_update(backend: Backend) {
    let Some(smtp) = SmtpServer::start(free_port()).await else { return };
    let app = smtp_app(backend, &smtp.url(), vec![]).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let old = first_free_start(&app, &maya, tom).await;
    let id = ok_json::<Booked>(book_session(&app, &maya, tom, &old, false, "mail-change-1").await).await.session_id;
    wait_for(2, || async { smtp.received() }).await;
    let new = first_free_start(&app, &maya, tom).await;
    let form = [("session_id", id.to_string()), ("start", new.clone()), ("idempotency_key", "mail-move-1".to_owned())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(app.call("reschedule_session", &form, Some(&maya)).await.status().is_success());
    wait_for(4, || async { smtp.received() }).await;
    let tutor = app.login("tom@tutor.test").await;
    let res = app.call("cancel_session", &[("session_id", &id.to_string()), ("reason", "Exam week")], Some(&tutor)).await;
    assert!(res.status().is_success());
    let mails: Vec<Mail> = wait_for(6, || async { smtp.received() }).await.iter().map(|raw| Mail::parse(raw)).collect();
    let to = |who: &str, subject: &str| {
        mails.iter().find(|m| m.to.contains(who) && m.subject.starts_with(subject)).unwrap_or_else(|| panic!("no {subject:?} to {who}"))
    };
    let uid = format!("session-{id}@session-booking");
    let (utc_old, utc_new) = (old.replace(['-', ':'], ""), new.replace(['-', ':'], ""));
    for who in ["maya@student.test", "tom@tutor.test"] {
        let booked = if who.starts_with("maya") { "Session booked" } else { "New session" };
        assert_eq!(invitation(to(who, booked)), ("REQUEST".into(), [uid.clone(), "0".into(), "CONFIRMED".into(), utc_old.clone()]));
        let moved = to(who, "Session moved");
        assert_eq!(invitation(moved), ("REQUEST".into(), [uid.clone(), "1".into(), "CONFIRMED".into(), utc_new.clone()]));
        let text = moved.part("text/plain");
        assert!(text.contains("Was: ") && text.contains("https://calendar.google.com/") && text.contains("outlook.live.com"), "{text}");
        let cancelled = to(who, "Session cancelled");
        assert_eq!(invitation(cancelled), ("CANCEL".into(), [uid.clone(), "2".into(), "CANCELLED".into(), utc_new.clone()]));
        assert!(cancelled.part("text/plain").contains("Reason: Exam week"));
    }
    assert!(to("maya@student.test", "Session cancelled").part("text/plain").contains("Tom Walker cancelled your session"));
    // The download says what the last message said.
    let download = body_text(app.get(&format!("/sessions/{id}/calendar"), Some(&maya)).await).await;
    assert!(download.contains("SEQUENCE:2") && download.contains("STATUS:CANCELLED"), "{download}");
    assert_eq!(smtp.received().len(), 6, "one message per person per change");
}

crate::on_both_backends!(
    a_message_out_of_attempts_is_not_tried_again,
    each_change_mails_both_people_the_calendars_update,
    both_people_get_a_confirmation_with_the_invitation_and_the_student_reminders,
    mail_for_a_booking_made_while_the_server_was_down_arrives_when_it_is_back,
    two_app_processes_send_each_message_once,
    without_smtp_each_message_is_an_eml_file,
);
