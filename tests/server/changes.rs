//! Cancelling and rescheduling a booked session (docs/booking-contract.md §7) through the real
//! endpoints: who may, what it costs, what it frees, what it keeps, the answers, the pages, and
//! changes racing each other and new bookings.
use chrono::{DateTime, Duration, Utc};
use http::{header, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use session_booking::{
    dto::{
        dashboard::Dashboard,
        sessions::{ChangedSession, SessionState, SessionView},
        teaching::Teaching,
        wizard::{Booked, ConfirmView, DayTimes, MonthDays},
        StId,
    },
    entities::{outbox, session, session_change, Actor, ChangeKind, SessionStatus},
    error::{AppError, Subject},
};

use crate::harness::{app_error, body_text, book_session, first_free_start, fn_request, insert_session, ok_json, Backend, TestApp, HOST};

/// A free window of an hour: sessions booked two hours or more ahead are free to change.
async fn app_with_free_hours(backend: Backend, hours: u32) -> TestApp {
    TestApp::configured(backend, move |s| s.booking.free_cancel_hours = hours).await
}

async fn book(app: &TestApp, cookie: &str, st: StId, start: &str, key: &str) -> i32 {
    ok_json::<Booked>(book_session(app, cookie, st, start, true, &format!("booking-{key}")).await).await.session_id
}

async fn cancel(app: &TestApp, cookie: &str, session_id: i32, reason: &str) -> http::Response<axum::body::Body> {
    app.call("cancel_session", &[("session_id", &session_id.to_string()), ("reason", reason)], Some(cookie)).await
}

async fn reschedule(app: &TestApp, cookie: &str, session_id: i32, start: &str, key: &str) -> http::Response<axum::body::Body> {
    app.call("reschedule_session", &[("session_id", &session_id.to_string()), ("start", start), ("idempotency_key", key)], Some(cookie))
        .await
}

async fn row(app: &TestApp, session_id: i32) -> session::Model {
    session::Entity::find_by_id(session_id).one(app.db()).await.unwrap().expect("the session")
}

async fn changes(app: &TestApp, session_id: i32) -> Vec<session_change::Model> {
    session_change::Entity::find()
        .filter(session_change::Column::SessionId.eq(session_id))
        .order_by_asc(session_change::Column::Sequence)
        .all(app.db())
        .await
        .unwrap()
}

/// The kinds of the messages that speak for one version of a session, sent or not: the mail
/// worker may already have delivered those due at once.
async fn owed_for_version(app: &TestApp, session_id: i32, sequence: i32) -> Vec<outbox::MessageKind> {
    outbox::Entity::find()
        .filter(outbox::Column::SessionId.eq(session_id))
        .filter(outbox::Column::Sequence.eq(sequence))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

async fn unsent(app: &TestApp, session_id: i32) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::SessionId.eq(session_id))
        .filter(outbox::Column::SentAt.is_null())
        .all(app.db())
        .await
        .unwrap()
}

fn utc(start: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&Utc)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn a_cancelled_session_frees_its_time_and_leaves_the_lists(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let id = book(&app, &maya, tom, &start, "cancel-me-1").await;
    assert!(unsent(&app, id).await.iter().any(|m| m.kind == outbox::MessageKind::Reminder));

    let page: SessionView = ok_json(app.call("load_session", &[("session_id", &id.to_string())], Some(&maya)).await).await;
    let terms = page.terms.expect("a scheduled session can change");
    assert!(!terms.late && terms.explanation.starts_with("Free to cancel or reschedule until"), "{}", terms.explanation);

    let changed: ChangedSession = ok_json(cancel(&app, &maya, id, "  Exam moved\r\nsorry ").await).await;
    assert_eq!((changed.status.as_str(), changed.sequence), ("cancelled", 1));
    let s = row(&app, id).await;
    assert_eq!((s.status, s.sequence), (SessionStatus::Cancelled, 1));
    let recorded = changes(&app, id).await;
    assert_eq!(recorded.len(), 1);
    let c = &recorded[0];
    assert_eq!((c.kind, c.actor, c.late, c.reason.as_deref()), (ChangeKind::Cancelled, Actor::Student, false, Some("Exam moved\nsorry")));
    // Its reminders are gone; what is owed now is the cancel, to both people.
    let owed = owed_for_version(&app, id, 1).await;
    assert!(!unsent(&app, id).await.iter().any(|m| m.kind == outbox::MessageKind::Reminder), "no reminder of a cancelled session");
    assert!(owed.contains(&outbox::MessageKind::StudentCancelled) && owed.contains(&outbox::MessageKind::TutorCancelled), "{owed:?}");
    assert_eq!(app.events("session_cancelled").await, [serde_json::json!({ "session_id": id, "by": "student", "late": false })]);

    // The time is anyone's at once, and the session is on no upcoming list.
    let kenji = app.login("kenji@student.test").await;
    assert_eq!(book_session(&app, &kenji, tom, &start, false, "take-freed-1").await.status(), StatusCode::OK);
    let dashboard: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&maya)).await).await;
    assert!(dashboard.upcoming.iter().all(|u| u.id != id));

    // Nothing more can change, and the page says who cancelled and why.
    assert_eq!(app_error(cancel(&app, &maya, id, "").await).await, AppError::AlreadyCancelled);
    let res = reschedule(&app, &maya, id, &start, "move-cancelled-1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::AlreadyCancelled);
    let page: SessionView = ok_json(app.call("load_session", &[("session_id", &id.to_string())], Some(&maya)).await).await;
    assert_eq!(page.state, SessionState::Cancelled { by: "You".into(), reason: Some("Exam moved\nsorry".into()), late: false });
    assert!(page.terms.is_none() && page.reschedule_url.is_none());
    let tutor_view: SessionView =
        ok_json(app.call("load_session", &[("session_id", &id.to_string())], Some(&app.login("tom@tutor.test").await)).await).await;
    assert!(matches!(tutor_view.state, SessionState::Cancelled { ref by, .. } if by == "Maya Chen"));
}

async fn a_late_cancel_counts_the_session_as_used(backend: Backend) {
    // Every start within the horizon is less than a year away: every student's change is late.
    let app = app_with_free_hours(backend, 24 * 365).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, "late-cancel-1").await;
    let page: SessionView = ok_json(app.call("load_session", &[("session_id", &id.to_string())], Some(&maya)).await).await;
    let terms = page.terms.unwrap();
    assert!(terms.late && terms.explanation.contains("counts as used"), "{}", terms.explanation);
    let cancel_page = body_text(app.get(&format!("/sessions/{id}/cancel"), Some(&maya)).await).await;
    assert!(cancel_page.contains("if you cancel now, this session counts as used"), "the warning comes before the cancel");

    ok_json::<ChangedSession>(cancel(&app, &maya, id, "").await).await;
    assert!(changes(&app, id).await[0].late);
    assert_eq!(app.events("session_cancelled").await, [serde_json::json!({ "session_id": id, "by": "student", "late": true })]);
}

async fn a_late_move_makes_the_later_cancel_late(backend: Backend) {
    let app = app_with_free_hours(backend, 24 * 365).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, "late-move-1").await;
    let other = first_free_start(&app, &maya, tom).await;
    // The confirm step says so before the move.
    let (st, id_text) = (tom.to_string(), id.to_string());
    let confirm: ConfirmView =
        ok_json(app.call("load_confirm", &[("st_id", &st), ("start", &other), ("reschedule", &id_text)], Some(&maya)).await).await;
    let moving = confirm.moving.expect("the session being moved");
    assert_eq!(moving.session_id, id);
    assert!(moving.late_warning.is_some_and(|w| w.contains("this move is late")));
    ok_json::<ChangedSession>(reschedule(&app, &maya, id, &other, "late-move-key").await).await;
    // Even were the free window shorter now, the session was moved late: its cancel is late.
    ok_json::<ChangedSession>(cancel(&app, &maya, id, "").await).await;
    let recorded = changes(&app, id).await;
    assert_eq!(
        recorded.iter().map(|c| (c.kind, c.late)).collect::<Vec<_>>(),
        [(ChangeKind::Rescheduled, true), (ChangeKind::Cancelled, true)]
    );
}

async fn only_the_sessions_two_people_may_change_it(backend: Backend) {
    let app = app_with_free_hours(backend, 24 * 365).await;
    let maya = app.login("maya@student.test").await;
    let tom_st = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom_st).await;
    let id = book(&app, &maya, tom_st, &start, "whose-1").await;
    let other = first_free_start(&app, &maya, tom_st).await;

    // Someone else's session is as unknown as one that does not exist.
    let kenji = app.login("kenji@student.test").await;
    let priya = app.login("priya@tutor.test").await;
    for (who, res) in [
        ("kenji cancels", cancel(&app, &kenji, id, "").await),
        ("priya cancels", cancel(&app, &priya, id, "").await),
        ("kenji moves", reschedule(&app, &kenji, id, &other, "whose-kenji").await),
        ("no such session", cancel(&app, &maya, id + 1000, "").await),
    ] {
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}");
        assert_eq!(app_error(res).await, AppError::NotFound(Subject::Session), "{who}");
    }
    assert_eq!(app.get(&format!("/sessions/{id}"), Some(&kenji)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/sessions/{id}/calendar"), Some(&kenji)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(cancel(&app, "sb_session=nobody", id, "").await.status(), StatusCode::UNAUTHORIZED);
    // The Student-Teacher may cancel (a student's move is the student's own).
    let tom = app.login("tom@tutor.test").await;
    assert_eq!(app_error(reschedule(&app, &tom, id, &other, "whose-tom").await).await, AppError::NotAStudent);
    let calendar = body_text(app.get(&format!("/sessions/{id}/calendar"), Some(&tom)).await).await;
    assert!(calendar.contains("STATUS:CONFIRMED"), "the tutor has the session's file too");
    ok_json::<ChangedSession>(cancel(&app, &tom, id, "I am ill").await).await;
    let c = &changes(&app, id).await[0];
    // However close the start, a tutor's cancel gives the student the session back.
    assert_eq!((c.actor, c.late), (Actor::StudentTeacher, false));
    assert_eq!(app.events("session_cancelled").await, [serde_json::json!({ "session_id": id, "by": "student_teacher", "late": false })]);
    let page: SessionView = ok_json(app.call("load_session", &[("session_id", &id.to_string())], Some(&maya)).await).await;
    assert_eq!(page.state, SessionState::Cancelled { by: "Tom Walker".into(), reason: Some("I am ill".into()), late: false });
    // Bad fields are refused by name and change nothing.
    let long = "x".repeat(501);
    let res = app.call("cancel_session", &[("session_id", &id.to_string()), ("reason", &long)], Some(&maya)).await;
    assert!(matches!(app_error(res).await, AppError::InvalidInput { ref field, .. } if field == "reason"));
}

async fn a_started_session_cannot_change(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let begun = insert_session(&app, "Algebra I", "maya@student.test", "tom@tutor.test", Utc::now() - Duration::minutes(10), 60).await;
    assert_eq!(app_error(cancel(&app, &maya, begun, "").await).await, AppError::AlreadyStarted);
    let later = rfc3339(Utc::now() + Duration::days(3));
    let res = reschedule(&app, &maya, begun, &later, "started-1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::AlreadyStarted);
    assert_eq!(row(&app, begun).await.sequence, 0);
    let page: SessionView = ok_json(app.call("load_session", &[("session_id", &begun.to_string())], Some(&maya)).await).await;
    assert_eq!((page.state, page.terms), (SessionState::Started, None));
}

async fn a_reschedule_moves_the_session_and_keeps_what_it_is(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let old = first_free_start(&app, &maya, tom).await;
    let id = book(&app, &maya, tom, &old, "move-me-1").await;
    let before = row(&app, id).await;
    let new = first_free_start(&app, &maya, tom).await;
    assert_ne!(old, new);

    let moved: ChangedSession = ok_json(reschedule(&app, &maya, id, &new, "move-key-1").await).await;
    assert_eq!((moved.session_id, moved.start.as_str(), moved.sequence), (id, new.as_str(), 1));
    let after = row(&app, id).await;
    assert_eq!((after.video_url.clone(), after.note.clone(), after.status), (before.video_url, before.note, SessionStatus::Scheduled));
    assert_eq!(after.start_at, utc(&new));
    assert_eq!(changes(&app, id).await[0].previous_start_at, utc(&old));
    // The old time's reminders are gone and the new time's planned, for this version.
    let reminders: Vec<_> = unsent(&app, id).await.into_iter().filter(|m| m.kind == outbox::MessageKind::Reminder).collect();
    assert!(!reminders.is_empty() && reminders.iter().all(|m| m.sequence == 1), "{reminders:?}");
    let owed = owed_for_version(&app, id, 1).await;
    assert!(owed.contains(&outbox::MessageKind::TutorRescheduled), "{owed:?}");

    // The same key again changes nothing and answers the session; the same time is no move.
    let again: ChangedSession = ok_json(reschedule(&app, &maya, id, &old, "move-key-1").await).await;
    assert_eq!((again.start.as_str(), again.sequence), (new.as_str(), 1));
    let res = reschedule(&app, &maya, id, &new, "move-key-2").await;
    assert!(matches!(app_error(res).await, AppError::InvalidInput { ref field, .. } if field == "start"));
    assert_eq!(changes(&app, id).await.len(), 1);
    assert_eq!(app.events("session_rescheduled").await, [serde_json::json!({ "session_id": id })]);

    // The freed time is anyone's at once; the calendar file shows the session as it is now.
    let kenji = app.login("kenji@student.test").await;
    assert_eq!(book_session(&app, &kenji, tom, &old, false, "take-old-1").await.status(), StatusCode::OK);
    let ics = body_text(app.get(&format!("/sessions/{id}/calendar"), Some(&maya)).await).await;
    assert!(ics.contains("SEQUENCE:1") && ics.contains(&format!("DTSTART:{}", new.replace(['-', ':'], ""))), "{ics}");
}

async fn a_session_may_move_onto_part_of_its_own_time(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    // A time with an open start half an hour later, whatever the hour the test runs at (the
    // first open time of the day may be the last one of Tom's hours).
    let (start, date) = start_with_a_neighbour(&app, &maya, tom).await;
    let id = book(&app, &maya, tom, &start, "overlap-1").await;
    let overlapping = |day: &DayTimes| -> Vec<String> {
        day.slots
            .iter()
            .filter(|s| s.bookable && s.start != start && (utc(&s.start) - utc(&start)).num_minutes().abs() < 60)
            .map(|s| s.start.clone())
            .collect()
    };
    let (st, id_text) = (tom.to_string(), id.to_string());
    let plain: DayTimes = ok_json(app.call("load_day_times", &[("st_id", &st), ("date", &date)], Some(&maya)).await).await;
    assert!(overlapping(&plain).is_empty(), "the session blocks its own time for a new booking");
    let moving: DayTimes =
        ok_json(app.call("load_day_times", &[("st_id", &st), ("date", &date), ("reschedule", &id_text)], Some(&maya)).await).await;
    let target = overlapping(&moving).into_iter().next().expect("a start half an hour from the session's own, in Tom's hours");
    ok_json::<ChangedSession>(reschedule(&app, &maya, id, &target, "overlap-key").await).await;
    assert_eq!(row(&app, id).await.start_at, utc(&target));
}

/// An open start of `st` with another open start 30 minutes after it, and its date.
async fn start_with_a_neighbour(app: &TestApp, cookie: &str, st: StId) -> (String, String) {
    let this: MonthDays = ok_json(app.call("load_month_days", &[("st_id", &st.to_string())], Some(cookie)).await).await;
    let mut days = this.days.clone();
    if let Some(next) = &this.next_month {
        let form = [("st_id", st.to_string()), ("month", next.clone())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        days.extend(ok_json::<MonthDays>(app.call("load_month_days", &form, Some(cookie)).await).await.days);
    }
    for date in &days {
        let day: DayTimes = ok_json(app.call("load_day_times", &[("st_id", &st.to_string()), ("date", date)], Some(cookie)).await).await;
        let open: Vec<&str> = day.slots.iter().filter(|s| s.bookable).map(|s| s.start.as_str()).collect();
        if let Some(start) = open.iter().find(|s| open.iter().any(|n| (utc(n) - utc(s)).num_minutes() == 30)) {
            return ((*start).to_owned(), date.clone());
        }
    }
    panic!("no open time this month or next with another half an hour after it");
}

async fn a_reschedule_is_refused_where_a_booking_would_be(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let kenji = app.login("kenji@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, "refused-1").await;
    let taken = first_free_start(&app, &kenji, tom).await;
    book(&app, &kenji, tom, &taken, "refused-kenji").await;
    let res = reschedule(&app, &maya, id, &taken, "refused-key-1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::SlotUnavailable);
    // A time Tom has open, but Maya has another session then (with Priya).
    let mine = first_free_start(&app, &maya, tom).await;
    insert_session(&app, "Algebra I", "maya@student.test", "priya@tutor.test", utc(&mine), 60).await;
    assert_eq!(app_error(reschedule(&app, &maya, id, &mine, "refused-key-2").await).await, AppError::StudentConflict);
    // Off the grid, or outside Tom's hours.
    let odd = rfc3339(utc(&taken) + Duration::minutes(7));
    assert_eq!(app_error(reschedule(&app, &maya, id, &odd, "refused-key-3").await).await, AppError::SlotUnavailable);
    assert_eq!((row(&app, id).await.sequence, changes(&app, id).await.len()), (0, 0), "nothing changed");
}

async fn without_javascript_the_forms_post_and_come_back(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let course = app.course_id("Algebra I").await;
    let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, "nojs-1").await;
    let new = first_free_start(&app, &maya, tom).await;

    // The wizard carries the session through its steps and confirms a move.
    let page = body_text(app.get(&format!("/courses/{course}/book?st={tom}&reschedule={id}"), Some(&maya)).await).await;
    assert!(page.contains("Rescheduling") && page.contains(&format!("name=\"reschedule\" value=\"{id}\"")), "{page}");
    let date = utc(&new).with_timezone(&chrono_tz::America::New_York).date_naive();
    let confirm =
        body_text(app.get(&format!("/courses/{course}/book?st={tom}&reschedule={id}&date={date}&start={new}"), Some(&maya)).await).await;
    assert!(confirm.contains("Move Session") && confirm.contains("/api/reschedule_session"), "{confirm}");
    let key = confirm.split("name=\"idempotency_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let res = app
        .post_form("reschedule_session", &[("session_id", &id.to_string()), ("start", &new), ("idempotency_key", &key)], Some(&maya))
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()[header::LOCATION], format!("/sessions/{id}?changed=moved").as_str());
    assert!(body_text(app.get(&format!("/sessions/{id}?changed=moved"), Some(&maya)).await).await.contains("Session moved"));

    let res = app.post_form("cancel_session", &[("session_id", &id.to_string()), ("reason", "")], Some(&maya)).await;
    assert_eq!(res.headers()[header::LOCATION], format!("/sessions/{id}").as_str());
    assert!(body_text(app.get(&format!("/sessions/{id}"), Some(&maya)).await).await.contains("Session cancelled"));
    // Again: back to the page with the error's code, which the page words.
    let form = [("session_id", id.to_string()), ("reason", String::new())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut request = fn_request("cancel_session", &form, Some(&maya), "text/html");
    let page = format!("/sessions/{id}/cancel");
    request.headers_mut().insert(header::REFERER, format!("http://{HOST}{page}").parse().unwrap());
    let back = app.send(request).await.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.contains("__err=already_cancelled"), "{back}");
    let shown = body_text(app.get(back.trim_start_matches(&format!("http://{HOST}")), Some(&maya)).await).await;
    assert!(shown.contains("This session has been cancelled"), "{shown}");
    // A stale reschedule link lands on the error, not on a wizard that would book anew.
    let stale = app.get(&format!("/courses/{course}/book?st={tom}&reschedule={id}"), Some(&maya)).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
}

/// A reschedule racing a new booking of the same time, two moves of one session, and a cancel
/// racing a move: whatever the timing, the answers add up and nobody is double-booked.
async fn changes_racing_each_other_and_bookings(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let kenji = app.login("kenji@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    for round in 0..3 {
        let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, &format!("race-{round}")).await;
        let target = first_free_start(&app, &maya, tom).await;
        let (move_key, book_key) = (format!("race-move-{round}"), format!("race-book-{round}"));
        let (moved, booked) =
            tokio::join!(reschedule(&app, &maya, id, &target, &move_key), book_session(&app, &kenji, tom, &target, false, &book_key));
        let statuses = [moved.status(), booked.status()];
        assert!(statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::CONFLICT), "exactly one wins: {statuses:?}");
        let at_target = session::Entity::find()
            .filter(session::Column::StartAt.eq(utc(&target)))
            .filter(session::Column::Status.eq(SessionStatus::Scheduled))
            .all(app.db())
            .await
            .unwrap();
        assert_eq!(at_target.len(), 1);

        // Two moves of one session: each that is answered 200 is one version.
        let (a, b) =
            (first_free_start(&app, &maya, tom).await, rfc3339(utc(&first_free_start(&app, &maya, tom).await) + Duration::days(7)));
        let (key_a, key_b) = (format!("race-move-a-{round}"), format!("race-move-b-{round}"));
        let (ra, rb) = tokio::join!(reschedule(&app, &maya, id, &a, &key_a), reschedule(&app, &maya, id, &b, &key_b));
        let ok = [ra.status(), rb.status()].iter().filter(|s| **s == StatusCode::OK).count() as i32;
        let s = row(&app, id).await;
        let before = i32::from(moved.status() == StatusCode::OK);
        assert_eq!(s.sequence, before + ok);
        assert_eq!(changes(&app, id).await.len() as i32, s.sequence);

        // A cancel racing a move: the session ends cancelled, and its versions are the answers.
        let c = first_free_start(&app, &maya, tom).await;
        let key_c = format!("race-move-c-{round}");
        let (rc, rm) = tokio::join!(cancel(&app, &maya, id, ""), reschedule(&app, &maya, id, &c, &key_c));
        assert_eq!(rc.status(), StatusCode::OK);
        assert!(matches!(rm.status(), StatusCode::OK | StatusCode::CONFLICT), "{}", rm.status());
        let s = row(&app, id).await;
        assert_eq!(s.status, SessionStatus::Cancelled);
        assert_eq!(changes(&app, id).await.len() as i32, s.sequence);
    }
    let scheduled = session::Entity::find().filter(session::Column::Status.eq(SessionStatus::Scheduled)).all(app.db()).await.unwrap();
    for (i, a) in scheduled.iter().enumerate() {
        for b in &scheduled[i + 1..] {
            let shared = a.teacher_id == b.teacher_id || a.student_id == b.student_id;
            assert!(!(shared && a.start_at < b.end_at && b.start_at < a.end_at), "{a:?} overlaps {b:?}");
        }
    }
}

async fn the_dashboard_offers_each_upcoming_session_a_change(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let id = book(&app, &maya, tom, &first_free_start(&app, &maya, tom).await, "dash-1").await;
    let dashboard: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&maya)).await).await;
    let upcoming = dashboard.upcoming.iter().find(|u| u.id == id).unwrap();
    let url = upcoming.reschedule_url.clone().unwrap();
    assert!(url.ends_with(&format!("?st={tom}&reschedule={id}")), "{url}");
    let month: MonthDays =
        ok_json(app.call("load_month_days", &[("st_id", &tom.to_string()), ("reschedule", &id.to_string())], Some(&maya)).await).await;
    assert!(month.next_available.is_some());
    let html = body_text(app.get("/dashboard", Some(&maya)).await).await;
    assert!(html.contains(&format!("/sessions/{id}/cancel")), "a cancel link per session");
}

async fn the_student_teacher_lands_on_their_sessions_and_cancels_there(backend: Backend) {
    let app = app_with_free_hours(backend, 1).await;
    let maya = app.login("maya@student.test").await;
    let tom_st = app.st_id("tom@tutor.test", "Algebra I").await;
    let id = book(&app, &maya, tom_st, &first_free_start(&app, &maya, tom_st).await, "teach-1").await;
    // Without a page to return to, a Student-Teacher's login goes to /teach, a student's to the dashboard.
    let res = app.post_form("login", &[("email", "tom@tutor.test"), ("password", "booking-demo")], None).await;
    assert_eq!(res.headers()[header::LOCATION], "/teach");
    let res = app.post_form("login", &[("email", "maya@student.test"), ("password", "booking-demo")], None).await;
    assert_eq!(res.headers()[header::LOCATION], "/dashboard");

    let tom = app.login("tom@tutor.test").await;
    let teaching: Teaching = ok_json(app.call("load_teaching", &[], Some(&tom)).await).await;
    let listed = teaching.upcoming.iter().find(|s| s.id == id).expect("Maya's session is on Tom's list");
    assert_eq!((listed.student_name.as_str(), listed.note.as_str()), ("Maya Chen", "Chapter 3, please"));
    assert!(
        listed.time_label.ends_with("GMT") && listed.student_time.as_deref().is_some_and(|t| t.contains("for the student")),
        "{listed:?}"
    );
    let page = body_text(app.get("/teach", Some(&tom)).await).await;
    assert!(page.contains(&format!("/sessions/{id}/cancel")), "a cancel link per session");
    assert_eq!(app_error(app.call("load_teaching", &[], Some(&maya)).await).await, AppError::NotAStudentTeacher);

    ok_json::<ChangedSession>(cancel(&app, &tom, id, "").await).await;
    let teaching: Teaching = ok_json(app.call("load_teaching", &[], Some(&tom)).await).await;
    assert!(teaching.upcoming.iter().all(|s| s.id != id), "a cancelled session leaves the list");
}

crate::on_both_backends!(
    the_student_teacher_lands_on_their_sessions_and_cancels_there,
    a_cancelled_session_frees_its_time_and_leaves_the_lists,
    a_late_cancel_counts_the_session_as_used,
    a_late_move_makes_the_later_cancel_late,
    only_the_sessions_two_people_may_change_it,
    a_started_session_cannot_change,
    a_reschedule_moves_the_session_and_keeps_what_it_is,
    a_session_may_move_onto_part_of_its_own_time,
    a_reschedule_is_refused_where_a_booking_would_be,
    without_javascript_the_forms_post_and_come_back,
    changes_racing_each_other_and_bookings,
    the_dashboard_offers_each_upcoming_session_a_change,
);
