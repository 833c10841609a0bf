//! A Student-Teacher's weekly hours and time off (docs/booking-contract.md §10) through the real
//! endpoints: what is saved, what is refused and by name, who may change it, and what students
//! see at once.
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Asia::Kolkata;
use http::{header, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use session_booking::{
    dto::{
        dashboard::Dashboard,
        schedule::{Schedule, TimeOffAdded},
        teaching::Teaching,
        wizard::{Booked, DayTimes, MonthDays},
        StId,
    },
    entities::{availability, time_off, SessionStatus},
    error::{AppError, HoursProblem, Subject},
};

use crate::harness::{app_error, body_text, book_session, first_free_start, ok_json, Backend, TestApp};

const PRIYA: &str = "priya@tutor.test";
const MAYA: &str = "maya@student.test";

async fn priya(app: &TestApp) -> StId {
    app.st_id(PRIYA, "Algebra I").await
}

fn utc(start: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&Utc)
}

/// The date of `start` on Priya's clock.
fn kolkata_date(start: &str) -> NaiveDate {
    utc(start).with_timezone(&Kolkata).date_naive()
}

async fn schedule(app: &TestApp, cookie: &str) -> Schedule {
    ok_json(app.call("load_schedule", &[], Some(cookie)).await).await
}

async fn save_hours(app: &TestApp, cookie: &str, timezone: &str, days: [&str; 7]) -> http::Response<axum::body::Body> {
    let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let mut form = vec![("timezone", timezone)];
    form.extend(names.into_iter().zip(days));
    app.call("save_weekly_hours", &form, Some(cookie)).await
}

async fn add_time_off(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> http::Response<axum::body::Body> {
    app.call("add_time_off", form, Some(cookie)).await
}

/// Maya's bookable starts with Priya on the student's date `date`.
async fn bookable_on(app: &TestApp, maya: &str, st: StId, date: &str) -> Vec<String> {
    let day: DayTimes = ok_json(app.call("load_day_times", &[("st_id", &st.to_string()), ("date", date)], Some(maya)).await).await;
    day.slots.into_iter().filter(|s| s.bookable).map(|s| s.start).collect()
}

async fn next_start(app: &TestApp, maya: &str, st: StId) -> Option<String> {
    let month: MonthDays = ok_json(app.call("load_month_days", &[("st_id", &st.to_string())], Some(maya)).await).await;
    month.next_available.map(|next| next.time.start)
}

async fn hours_rows(app: &TestApp) -> Vec<availability::Model> {
    let priya = app.user_id(PRIYA).await;
    availability::Entity::find().filter(availability::Column::TeacherId.eq(priya)).all(app.db()).await.unwrap()
}

async fn weekly_hours_replace_the_set_and_students_see_them_at_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (teacher, maya, st) = (app.login(PRIYA).await, app.login(MAYA).await, priya(&app).await);
    let before = schedule(&app, &teacher).await;
    assert_eq!(before.timezone, "Asia/Kolkata");
    let weekdays: Vec<&str> = before.days.iter().map(|d| d.ranges.as_str()).collect();
    assert_eq!(weekdays, ["17:00–21:00", "17:00–21:00", "17:00–21:00", "17:00–21:00", "17:00–21:00", "", ""]);

    // Saturdays only, two ranges that touch, written loosely.
    let res = save_hours(&app, &teacher, "Asia/Kolkata", ["", "", "", "", "", "9:00-11:00, 11:00 – 12:30", ""]).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    let after = schedule(&app, &teacher).await;
    assert_eq!(after.days[5].ranges, "09:00–11:00, 11:00–12:30");
    assert!(after.days.iter().enumerate().all(|(i, d)| i == 5 || d.ranges.is_empty()), "{:?}", after.days);
    assert_eq!(hours_rows(&app).await.len(), 2);

    // Maya's next time with Priya is now a Saturday morning on Priya's clock.
    let next = utc(&next_start(&app, &maya, st).await.expect("open Saturdays"));
    let local = next.with_timezone(&Kolkata);
    assert_eq!(local.weekday(), chrono::Weekday::Sat, "{local}");
    assert!((9..12).contains(&local.hour()), "{local}");

    // Another timezone: the same words mean other instants.
    let res = save_hours(&app, &teacher, "Europe/London", ["", "", "", "", "", "", "10:00–24:00"]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let rows = hours_rows(&app).await;
    assert_eq!(
        rows.iter().map(|r| (r.day_of_week, r.start_time.as_str(), r.end_time.as_str(), r.timezone.as_str())).collect::<Vec<_>>(),
        [(7, "10:00", "24:00", "Europe/London")]
    );
    assert_eq!(schedule(&app, &teacher).await.timezone, "Europe/London");
    let next = utc(&next_start(&app, &maya, st).await.expect("open Sundays"));
    assert_eq!(next.with_timezone(&chrono_tz::Europe::London).weekday(), chrono::Weekday::Sun);

    // No hours at all: nothing to book, and the page says so rather than failing.
    let res = save_hours(&app, &teacher, "Europe/London", [""; 7]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(next_start(&app, &maya, st).await, None);
    assert!(hours_rows(&app).await.is_empty());
}

async fn hours_that_cannot_be_saved_are_refused_by_name_and_nothing_changes(backend: Backend) {
    let app = TestApp::new(backend).await;
    let teacher = app.login(PRIYA).await;
    let before = hours_rows(&app).await;
    let cases: [([&str; 7], AppError); 3] = [
        (
            ["09:00–12:00, 11:00–13:00", "", "", "", "", "", ""],
            AppError::Hours(HoursProblem::Overlap { day: 1, first: (540, 720), second: (660, 780) }),
        ),
        (["", "", "", "", "18:00–17:00", "", ""], AppError::Hours(HoursProblem::Empty { day: 5, range: (1080, 1020) })),
        (["", "", "", "", "", "", "mornings"], AppError::Hours(HoursProblem::Unreadable { day: 7 })),
    ];
    for (days, expected) in cases {
        let res = save_hours(&app, &teacher, "Asia/Kolkata", days).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(app_error(res).await, expected);
    }
    let res = save_hours(&app, &teacher, "Mars/Olympus", ["09:00–12:00", "", "", "", "", "", ""]).await;
    assert_eq!(app_error(res).await, AppError::invalid("timezone", "Choose a timezone from the list."));
    assert_eq!(hours_rows(&app).await, before, "a refused save changes nothing");

    // Without JavaScript the refusal comes back to the page, which names the range.
    let form = [
        ("timezone", "Asia/Kolkata"),
        ("monday", "09:00–12:00, 11:00–13:00"),
        ("tuesday", ""),
        ("wednesday", ""),
        ("thursday", ""),
        ("friday", ""),
        ("saturday", ""),
        ("sunday", ""),
    ];
    let mut request = crate::harness::fn_request("save_weekly_hours", &form, Some(&teacher), "text/html");
    request.headers_mut().insert(header::REFERER, "http://127.0.0.1:3000/teach/schedule".parse().unwrap());
    let res = app.send(request).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.contains("__err=hours.overlap.1.540.720.660.780"), "{location}");
    let page = body_text(app.get(location.trim_start_matches("http://127.0.0.1:3000"), Some(&teacher)).await).await;
    assert!(page.contains("Monday 09:00–12:00 overlaps 11:00–13:00"), "the page names the range");
    assert!(page.contains(r#"id="hours-monday""#) && page.contains(r#"aria-invalid="true""#), "the field is marked");
}

async fn time_off_hides_its_dates_at_once_and_removing_it_brings_them_back(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (teacher, maya, st) = (app.login(PRIYA).await, app.login(MAYA).await, priya(&app).await);
    let first = next_start(&app, &maya, st).await.expect("Priya has open times");
    let date = kolkata_date(&first).to_string();

    let added: TimeOffAdded = ok_json(add_time_off(&app, &teacher, &[("from", &date), ("to", &date)]).await).await;
    let next = next_start(&app, &maya, st).await.expect("other days stay open");
    assert!(kolkata_date(&next) > kolkata_date(&first), "{next} is after the day off {date}");
    let entry = &schedule(&app, &teacher).await.time_off;
    assert_eq!(entry.len(), 1);
    assert_eq!((entry[0].id, entry[0].hours_label.as_deref()), (added.id, None));

    let res = app.call("remove_time_off", &[("id", &added.id.to_string())], Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(next_start(&app, &maya, st).await.as_deref(), Some(first.as_str()));
    assert!(schedule(&app, &teacher).await.time_off.is_empty());
}

async fn a_date_override_keeps_only_its_own_hours(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (teacher, maya, st) = (app.login(PRIYA).await, app.login(MAYA).await, priya(&app).await);
    // A weekday a week ahead, whose weekly hours are 17:00–21:00 on Priya's clock.
    let first = next_start(&app, &maya, st).await.expect("open times");
    let day = kolkata_date(&first) + chrono::Days::new(7);
    let day = day.to_string();
    // 11:00–14:00 instead: hours outside the weekly ones.
    ok_json::<TimeOffAdded>(add_time_off(&app, &teacher, &[("from", &day), ("start", "11:00"), ("end", "14:00")]).await).await;

    // Maya (New York) sees those hours on her own dates: 11:00 IST is 00:30 or 01:30 in New York.
    let mut seen = Vec::new();
    for date in [kolkata_date(&first) + chrono::Days::new(6), kolkata_date(&first) + chrono::Days::new(7)] {
        seen.extend(bookable_on(&app, &maya, st, &date.to_string()).await);
    }
    let on_day: Vec<_> = seen.iter().map(|s| utc(s).with_timezone(&Kolkata)).filter(|t| t.date_naive().to_string() == day).collect();
    assert!(!on_day.is_empty(), "the kept hours are bookable");
    // Hour-long sessions: starts from 11:00 to 13:00.
    assert!(on_day.iter().all(|t| (660..=780).contains(&(t.hour() * 60 + t.minute()))), "only the kept hours: {on_day:?}");
    let schedule = schedule(&app, &teacher).await;
    assert_eq!(schedule.time_off[0].hours_label.as_deref(), Some("Only 11:00–14:00"));
}

async fn time_off_is_refused_by_field(backend: Backend) {
    let app = TestApp::new(backend).await;
    let teacher = app.login(PRIYA).await;
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("from", "+262142-12-31")], "from"),
        (&[("from", "2099-12-24"), ("to", "2099-02-30")], "to"),
        (&[("from", "2001-01-01")], "from"),
        (&[("from", "2099-12-24"), ("to", "2099-12-23")], "to"),
        (&[("from", "2099-12-24"), ("to", "2099-12-25"), ("start", "10:00"), ("end", "12:00")], "end"),
    ];
    for (form, field) in cases {
        let res = add_time_off(&app, &teacher, form).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{form:?}");
        match app_error(res).await {
            AppError::InvalidInput { field: refused, .. } => assert_eq!(refused, field, "{form:?}"),
            other => panic!("{form:?}: {other:?}"),
        }
    }
    assert!(time_off::Entity::find().all(app.db()).await.unwrap().is_empty(), "nothing stored");
}

async fn only_the_student_teacher_changes_their_schedule(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (teacher, maya, tom) = (app.login(PRIYA).await, app.login(MAYA).await, app.login("tom@tutor.test").await);
    let added: TimeOffAdded = ok_json(add_time_off(&app, &teacher, &[("from", "2099-12-24")]).await).await;
    let id = added.id.to_string();
    let days = ["", "", "", "", "", "", ""];
    for cookie in [None, Some(maya.as_str())] {
        let expected = if cookie.is_none() { AppError::NotAuthenticated } else { AppError::NotAStudentTeacher };
        assert_eq!(app_error(app.call("load_schedule", &[], cookie).await).await, expected);
        assert_eq!(app_error(app.call("add_time_off", &[("from", "2099-12-25")], cookie).await).await, expected);
        assert_eq!(app_error(app.call("remove_time_off", &[("id", &id)], cookie).await).await, expected);
        let mut form = vec![("timezone", "UTC")];
        form.extend(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].into_iter().zip(days));
        assert_eq!(app_error(app.call("save_weekly_hours", &form, cookie).await).await, expected);
    }
    // Another Student-Teacher cannot remove Priya's, nor learn that it exists.
    let res = app.call("remove_time_off", &[("id", &id)], Some(&tom)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app_error(res).await, AppError::NotFound(Subject::TimeOff));
    assert_eq!(schedule(&app, &teacher).await.time_off.len(), 1);
    assert!(schedule(&app, &tom).await.time_off.is_empty());
    assert!(!hours_rows(&app).await.is_empty(), "Priya's hours untouched");
}

async fn sessions_inside_new_time_off_are_listed_and_a_cancel_reaches_the_student(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (teacher, maya, st) = (app.login(PRIYA).await, app.login(MAYA).await, priya(&app).await);
    let start = first_free_start(&app, &maya, st).await;
    let booked: Booked = ok_json(book_session(&app, &maya, st, &start, false, "time-off-clash-1").await).await;
    let date = kolkata_date(&start).to_string();
    ok_json::<TimeOffAdded>(add_time_off(&app, &teacher, &[("from", &date)]).await).await;

    // Still booked, and flagged for Priya in both places she looks.
    let session = session_booking::entities::session::Entity::find_by_id(booked.session_id).one(app.db()).await.unwrap().unwrap();
    assert_eq!(session.status, SessionStatus::Scheduled);
    let teaching: Teaching = ok_json(app.call("load_teaching", &[], Some(&teacher)).await).await;
    let listed = teaching.upcoming.iter().find(|s| s.id == booked.session_id).expect("on /teach");
    assert!(listed.in_time_off);
    assert!(teaching.upcoming.iter().filter(|s| s.id != booked.session_id).all(|s| !s.in_time_off));
    assert_eq!(schedule(&app, &teacher).await.clashes.iter().map(|s| s.id).collect::<Vec<_>>(), [booked.session_id]);

    // Priya cancels it; Maya's dashboard says so, with who.
    let res = app.call("cancel_session", &[("session_id", &booked.session_id.to_string()), ("reason", "I am away")], Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let dashboard: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&maya)).await).await;
    let item = dashboard.upcoming.iter().find(|s| s.id == booked.session_id).expect("still listed, as cancelled");
    let cancellation = item.cancellation.as_ref().expect("cancelled");
    assert_eq!((cancellation.by.as_str(), cancellation.reason.as_deref()), ("Priya Nair", Some("I am away")));
    assert!(item.reschedule_url.is_none() && item.video_url.is_none());
    assert!(schedule(&app, &teacher).await.clashes.is_empty());
    let page = body_text(app.get("/dashboard", Some(&maya)).await).await;
    assert!(page.contains("Cancelled by Priya Nair"), "the dashboard shows it");
}

crate::on_both_backends!(
    weekly_hours_replace_the_set_and_students_see_them_at_once,
    hours_that_cannot_be_saved_are_refused_by_name_and_nothing_changes,
    time_off_hides_its_dates_at_once_and_removing_it_brings_them_back,
    a_date_override_keeps_only_its_own_hours,
    time_off_is_refused_by_field,
    only_the_student_teacher_changes_their_schedule,
    sessions_inside_new_time_off_are_listed_and_a_cancel_reaches_the_student,
);
