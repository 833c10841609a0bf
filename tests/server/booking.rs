//! `book_session` (docs/booking-contract.md §2–3) through the real endpoint: statuses, idempotency,
//! the no-JavaScript path, calendars, and concurrent requests that must never double-book.
use http::{header, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use session_booking::dto::StId;
use session_booking::{
    dto::{
        availability::MonthAvailability,
        wizard::{Booked, MonthDays},
    },
    entities::session,
    error::AppError,
};

use crate::harness::{app_error, body_text, book_session, first_free_start, ok_json, Backend, TestApp};

fn this_month() -> String {
    chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).format("%Y-%m").to_string()
}

async fn book(app: &TestApp, cookie: &str, st: StId, start: &str, key: &str) -> http::Response<axum::body::Body> {
    book_session(app, cookie, st, start, true, key).await
}

async fn sessions_at(app: &TestApp, start: &str) -> u64 {
    let at = chrono::DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&chrono::Utc);
    session::Entity::find().filter(session::Column::StartAt.eq(at)).count(app.db()).await.unwrap()
}

async fn a_student_books_a_listed_time_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;

    let res = book(&app, &maya, tom, &start, "key-first-try").await;
    assert_eq!(res.status(), StatusCode::OK);
    let booked: Booked = ok_json(res).await;
    let row = session::Entity::find_by_id(booked.session_id).one(app.db()).await.unwrap().expect("on disk");
    assert_eq!(row.start_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), start);
    assert_eq!((row.end_at - row.start_at).num_minutes(), 60, "Algebra I sessions last an hour");
    assert!(row.reminders && row.note == "Chapter 3, please");

    // The same key again (a retry, a double click) answers the same session and adds none.
    let again: Booked = ok_json(book(&app, &maya, tom, &start, "key-first-try").await).await;
    assert_eq!(again.session_id, booked.session_id);
    assert_eq!(sessions_at(&app, &start).await, 1);
    // A new key for the same time is a new request, and the time is taken now.
    let res = book(&app, &maya, tom, &start, "key-second-try").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::SlotUnavailable);

    assert_eq!(app.events("booking_success").await, [serde_json::json!({ "session_id": booked.session_id })]);
    let attempted = app.events("booking_attempted").await;
    assert_eq!(attempted.len(), 2, "the replay is not a new attempt");
    assert_eq!(attempted[0]["datetime"], start.as_str());
    assert_eq!(app.events("booking_failed").await, [serde_json::json!({ "error_type": "slot_unavailable" })]);
}

async fn each_refusal_answers_its_status(backend: Backend) {
    let app = TestApp::new(backend).await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let maya = app.login("maya@student.test").await;
    let start = first_free_start(&app, &maya, tom).await;

    let res = app.call("book_session", &[("st_id", &tom.to_string()), ("start", &start), ("idempotency_key", "anon-key-1")], None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let lena = app.login("lena@student.test").await;
    let res = book(&app, &lena, tom, &start, "lena-key-1").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app_error(res).await, AppError::NotEnrolled);

    for (start, key, field) in [("tomorrow at 3", "maya-key-1", "start"), (start.as_str(), "short", "idempotency_key")] {
        let res = book(&app, &maya, tom, start, key).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
        assert!(matches!(app_error(res).await, AppError::InvalidInput { field: f, .. } if f == field));
    }
    let long = "x".repeat(1001);
    let st = tom.to_string();
    let res = app
        .call("book_session", &[("st_id", &st), ("start", &start), ("note", &long), ("idempotency_key", "maya-key-2")], Some(&maya))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Off the step grid: a time the engine never lists.
    let odd = chrono::DateTime::parse_from_rfc3339(&start).unwrap() + chrono::Duration::minutes(7);
    let res = book(&app, &maya, tom, &odd.to_rfc3339(), "maya-key-3").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // Malformed arguments are the client's fault, not ours.
    let res = app.call("book_session", &[("st_id", "tom"), ("start", &start), ("idempotency_key", "maya-key-4")], Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = book(&app, &maya, StId(4242), &start, "maya-key-5").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(sessions_at(&app, &start).await, 0, "a refused booking leaves nothing");
}

async fn a_time_that_overlaps_the_students_own_session_is_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let priya = app.st_id("priya@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, priya).await;
    // Maya takes a Spanish lesson from Diego at that time; Priya's slot is now shown taken.
    let at = chrono::DateTime::parse_from_rfc3339(&start).unwrap().with_timezone(&chrono::Utc);
    crate::harness::insert_session(&app, "Conversational Spanish", "maya@student.test", "diego@tutor.test", at, 30).await;
    let month: MonthDays = ok_json(app.call("load_month_days", &[("st_id", &priya.to_string())], Some(&maya)).await).await;
    assert_ne!(month.next_available.map(|next| next.time.start), Some(start.clone()));
    let res = book(&app, &maya, priya, &start, "maya-clash-1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::StudentConflict);
    assert_eq!(app.events("booking_failed").await, [serde_json::json!({ "error_type": "student_conflict" })]);
}

fn next_month() -> String {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive();
    today.checked_add_months(chrono::Months::new(1)).unwrap().format("%Y-%m").to_string()
}

async fn without_javascript_the_form_books_and_shows_the_confirmation(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let st = tom.to_string();
    let form = [("st_id", st.as_str()), ("start", start.as_str()), ("idempotency_key", "form-post-1")];
    let res = app.post_form("book_session", &form, Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/sessions/") && location.ends_with("/booked"), "{location}");
    let page = app.get(&location, Some(&maya)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = body_text(page).await;
    for text in [
        "Session Booked!",
        "Algebra I",
        "Tom Walker",
        "Add to Calendar",
        "calendar.google.com",
        "outlook.live.com",
        "Back to Dashboard",
        "Book Another Session",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    let session_id = location.trim_start_matches("/sessions/").trim_end_matches("/booked");
    let row = session::Entity::find_by_id(session_id.parse::<i32>().unwrap()).one(app.db()).await.unwrap().unwrap();
    assert!(!row.reminders, "an unticked checkbox sends nothing: no reminders");

    // The .ics file carries the booked times in UTC.
    let ics = app.get(&format!("/sessions/{session_id}/calendar"), Some(&maya)).await;
    assert_eq!(ics.status(), StatusCode::OK);
    assert!(ics.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    let ics = body_text(ics).await;
    let dtstart = format!("DTSTART:{}", row.start_at.format("%Y%m%dT%H%M%SZ"));
    assert!(ics.lines().any(|l| l == dtstart), "{dtstart} in\n{ics}");

    // Only its own student sees it.
    let kenji = app.login("kenji@student.test").await;
    assert_eq!(app.get(&location, Some(&kenji)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/sessions/{session_id}/calendar"), Some(&kenji)).await.status(), StatusCode::NOT_FOUND);
    // The dashboard lists it.
    let dashboard = body_text(app.get("/dashboard", Some(&maya)).await).await;
    assert!(dashboard.matches("Tom Walker").count() >= 2, "the seeded session and the new one");
}

async fn concurrent_requests_for_one_slot_book_it_once(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::new(backend).await);
    let maya = app.login("maya@student.test").await;
    let kenji = app.login("kenji@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (app, start) = (app.clone(), start.clone());
            let cookie = if i % 2 == 0 { maya.clone() } else { kenji.clone() };
            tokio::spawn(async move { book(&app, &cookie, tom, &start, &format!("race-key-{i:02}")).await.status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(sessions_at(&app, &start).await, 1);
}

async fn concurrent_overlapping_bookings_of_one_student_book_one(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::new(backend).await);
    let maya = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await.to_string();
    // Two tutors' bookable slots that overlap each other.
    let mut pair = None;
    for month in [this_month(), next_month()] {
        let m: MonthAvailability =
            ok_json(app.call("load_availability", &[("course_id", &algebra), ("month", &month)], Some(&maya)).await).await;
        let free: Vec<_> = m.slots.into_iter().filter(|s| s.bookable).collect();
        pair = pair.or_else(|| {
            free.iter().find_map(|a| free.iter().find(|b| b.st_id != a.st_id && b.start == a.start).map(|b| (a.clone(), b.clone())))
        });
    }
    let (a, b) = pair.expect("two tutors free at the same time");
    let tasks: Vec<_> = [a, b]
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            let (app, maya) = (app.clone(), maya.clone());
            tokio::spawn(async move { book(&app, &maya, slot.st_id, &slot.start, &format!("overlap-key-{i}")).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        let res = task.await.unwrap();
        outcomes.push(if res.status() == StatusCode::OK { None } else { Some(app_error(res).await) });
    }
    assert_eq!(outcomes.iter().filter(|o| o.is_none()).count(), 1, "{outcomes:?}");
    assert!(outcomes.contains(&Some(AppError::StudentConflict)), "{outcomes:?}");
}

/// Without JavaScript a refused booking comes back to its page with the error's code in the
/// URL, never its words, and the page shows the fixed text the code stands for.
async fn a_refusal_without_javascript_comes_back_as_a_code(backend: Backend) {
    use crate::harness::fn_request;
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let form = [("st_id", tom.to_string()), ("start", "2030-01-07T15:00:00Z".into()), ("idempotency_key", "no-js-refused-1".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = format!("/courses/1/book?st={tom}&date=2030-01-07&start=2030-01-07T15:00:00Z");
    let mut request = fn_request("book_session", &form, Some(&maya), "text/html,application/xhtml+xml");
    request.headers_mut().insert(header::REFERER, format!("http://{}{page}", crate::harness::HOST).parse().unwrap());
    let res = app.send(request).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.contains("__err=slot_unavailable"), "{location}");
    let back = location.trim_start_matches(&format!("http://{}", crate::harness::HOST)).to_owned();
    let shown = body_text(app.get(&back, Some(&maya)).await).await;
    assert!(shown.contains("This time is no longer available. Select another."), "{shown}");
    // A forged code or text shows nothing of its own.
    let forged = format!("{page}&__path=/api/book_session&__err=Your%20account%20is%20locked");
    let shown = body_text(app.get(&forged, Some(&maya)).await).await;
    assert!(!shown.contains("locked"), "{shown}");
}

/// A student who also teaches a course is still a student there, but not their own tutor.
async fn a_student_who_teaches_cannot_book_themself(backend: Backend) {
    use sea_orm::{ActiveModelTrait, Set};
    use session_booking::entities::student_teacher;
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let own = student_teacher::ActiveModel {
        user_id: Set(app.user_id("maya@student.test").await),
        course_id: Set(app.course_id("Algebra I").await),
        is_active: Set(true),
        bio: Set("Also teaches.".into()),
        students_taught: Set(0),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap();
    let own = StId(own.id);
    let res = book(&app, &maya, own, "2030-01-07T15:00:00Z", "self-booking-1").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(app_error(res).await, AppError::InvalidInput { field, .. } if field == "st_id"));
    let res = app.call("load_month_days", &[("st_id", &own.to_string())], Some(&maya)).await;
    assert!(matches!(app_error(res).await, AppError::InvalidInput { field, .. } if field == "st_id"));
    let res = app.call("select_student_teacher", &[("st_id", &own.to_string())], Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(sessions_at(&app, "2030-01-07T15:00:00Z").await, 0);
    // Nor is she among her own choices: not on step 1, not in its next times.
    let algebra = app.course_id("Algebra I").await.to_string();
    let page: session_booking::dto::booking::BookingPage =
        ok_json(app.call("load_booking_page", &[("course_id", &algebra)], Some(&maya)).await).await;
    assert!(!page.teachers.is_empty() && page.teachers.iter().all(|t| t.st_id != own));
    let next: Vec<session_booking::dto::availability::SlotView> =
        ok_json(app.call("load_next_times", &[("course_id", &algebra)], Some(&maya)).await).await;
    assert!(next.iter().all(|s| s.st_id != own));
}

/// A bare carriage return in a note is a line break when stored, so the note can write no line
/// of its own into the calendar file (RFC 5545 lines may end in a lone CR for some readers).
async fn a_note_is_stored_with_one_kind_of_line_break(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let note = "see you\rATTENDEE:mailto:evil@evil.test\r\nbring the book";
    let form = [
        ("st_id", tom.to_string()),
        ("start", start),
        ("reminders", "false".into()),
        ("note", note.into()),
        ("idempotency_key", "note-line-breaks".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let booked: Booked = ok_json(app.call("book_session", &form, Some(&maya)).await).await;
    let stored = session::Entity::find_by_id(booked.session_id).one(app.db()).await.unwrap().unwrap();
    assert_eq!(stored.note, "see you\nATTENDEE:mailto:evil@evil.test\nbring the book");
    let ics = body_text(app.get(&format!("/sessions/{}/calendar", booked.session_id), Some(&maya)).await).await;
    assert!(!ics.contains('\r') || ics.split("\r\n").all(|line| !line.contains('\r')), "only CRLF line ends");
    assert!(!ics.split("\r\n").any(|line| line.starts_with("ATTENDEE:mailto:evil")), "{ics}");
}

crate::on_both_backends!(
    a_note_is_stored_with_one_kind_of_line_break,
    a_refusal_without_javascript_comes_back_as_a_code,
    a_student_who_teaches_cannot_book_themself,
    a_student_books_a_listed_time_once,
    each_refusal_answers_its_status,
    a_time_that_overlaps_the_students_own_session_is_refused,
    without_javascript_the_form_books_and_shows_the_confirmation,
    concurrent_requests_for_one_slot_book_it_once,
    concurrent_overlapping_bookings_of_one_student_book_one,
);

mod wizard {
    use super::*;
    use session_booking::dto::wizard::DayTimes;

    async fn each_choice_is_recorded_once_and_leads_to_the_next_step(backend: Backend) {
        let app = TestApp::new(backend).await;
        let maya = app.login("maya@student.test").await;
        let tom = app.st_id("tom@tutor.test", "Algebra I").await;
        let start = first_free_start(&app, &maya, tom).await;
        let date =
            chrono::DateTime::parse_from_rfc3339(&start).unwrap().with_timezone(&chrono_tz::America::New_York).date_naive().to_string();
        let (st, page) = (tom.to_string(), "/courses/1/book");

        let res = app.post_form("select_date", &[("st_id", &st), ("date", &date), ("page", page)], Some(&maya)).await;
        assert_eq!(res.headers()[header::LOCATION], format!("{page}?st={st}&date={date}").as_str());
        let res = app.post_form("select_time", &[("st_id", &st), ("start", &start), ("page", page)], Some(&maya)).await;
        assert_eq!(res.headers()[header::LOCATION], format!("{page}?st={st}&date={date}&start={start}").as_str());
        assert_eq!(app.events("date_selected").await, [serde_json::json!({ "date": date })]);
        assert_eq!(app.events("time_selected").await, [serde_json::json!({ "time": start, "st_id": tom })]);

        // A page outside the booking routes is refused, not followed.
        let res = app.call("select_date", &[("st_id", &st), ("date", &date), ("page", "https://evil.test/")], Some(&maya)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        // Every step renders, and an unknown course is a 404 page.
        for url in [
            format!("{page}?st={st}"),
            format!("{page}?st={st}&week=this"),
            format!("{page}?st={st}&date={date}"),
            format!("{page}?st={st}&date={date}&start={start}"),
        ] {
            assert_eq!(app.get(&url, Some(&maya)).await.status(), StatusCode::OK, "{url}");
        }
        assert_eq!(app.get("/courses/4242/book", Some(&maya)).await.status(), StatusCode::NOT_FOUND);
    }

    async fn a_date_when_clocks_change_says_so(backend: Backend) {
        let app = TestApp::new(backend).await;
        let maya = app.login("maya@student.test").await;
        let tom = app.st_id("tom@tutor.test", "Algebra I").await.to_string();
        let day = async |date: &str| -> DayTimes {
            ok_json(app.call("load_day_times", &[("st_id", tom.as_str()), ("date", date)], Some(&maya)).await).await
        };
        // New York springs forward on 14 March 2027; London on 28 March.
        let ny = day("2027-03-14").await;
        assert_eq!(ny.clock_changes, ["Clocks change on this date in your timezone (UTC-05:00 to UTC-04:00)."]);
        let london = day("2027-03-28").await;
        assert_eq!(london.clock_changes, ["Clocks change on this date in Tom Walker's timezone (UTC+00:00 to UTC+01:00)."]);
        let plain = day("2027-03-20").await;
        assert!(plain.clock_changes.is_empty());
    }

    crate::on_both_backends!(each_choice_is_recorded_once_and_leads_to_the_next_step, a_date_when_clocks_change_says_so);
}
