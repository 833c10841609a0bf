//! Times that stay true (docs/booking-contract.md §9): the confirm step's hold, and the stream
//! of changes that reaches every page showing a Student-Teacher's times, from any app process.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use session_booking::{
    dto::{
        wizard::{DayTimes, MonthDays},
        StId,
    },
    entities::hold,
    error::AppError,
};
use std::time::Duration;

use crate::harness::{app_error, body_text, book_session, listed_time, ok_json, postgres_url, Backend, TestApp};

const HELD: &str = "This time is held for you";

/// An open start and the student's date it falls on.
struct OpenTime {
    date: String,
    start: String,
}

/// The open times of the student's first two days with `st` that have any, soonest first.
async fn open_times(app: &TestApp, cookie: &str, st: StId) -> Vec<OpenTime> {
    let mut times = Vec::new();
    let mut month: Option<String> = None;
    while times.len() < 4 {
        let mut form = vec![("st_id", st.to_string())];
        form.extend(month.clone().map(|m| ("month", m)));
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let days: MonthDays = ok_json(app.call("load_month_days", &form, Some(cookie)).await).await;
        for date in days.days.iter().take(2) {
            let day: DayTimes =
                ok_json(app.call("load_day_times", &[("st_id", &st.to_string()), ("date", date)], Some(cookie)).await).await;
            times.extend(day.slots.into_iter().filter(|s| s.bookable).map(|s| OpenTime { date: date.clone(), start: s.start }));
        }
        month = Some(days.next_month.expect("open times within the horizon"));
    }
    times
}

/// Whether `start` is offered as open to the student of `cookie`, who lives in `zone`.
async fn is_open(app: &TestApp, cookie: &str, zone: Tz, st: StId, start: &str) -> bool {
    let date = DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&zone).date_naive().to_string();
    let day: DayTimes = ok_json(app.call("load_day_times", &[("st_id", &st.to_string()), ("date", &date)], Some(cookie)).await).await;
    day.slots.iter().any(|s| s.start == start && s.bookable)
}

/// Opens step 4 for `start`, as a browser does; answers the page.
async fn open_confirm(app: &TestApp, cookie: &str, st: StId, slot: &OpenTime) -> String {
    let page = format!("/book/{st}?st={st}&date={}&start={}", slot.date, slot.start);
    let res = app.get(&page, Some(cookie)).await;
    assert_eq!(res.status(), StatusCode::OK);
    body_text(res).await
}

async fn holds(app: &TestApp) -> u64 {
    hold::Entity::find().count(app.db()).await.unwrap()
}

const TOKYO: Tz = chrono_tz::Asia::Tokyo;
const NEW_YORK: Tz = chrono_tz::America::New_York;

async fn the_confirm_step_holds_its_time_for_its_student_alone(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (maya, kenji) = (app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let slot = open_times(&app, &maya, tom).await.remove(0);

    assert!(open_confirm(&app, &maya, tom, &slot).await.contains(HELD));
    assert!(!is_open(&app, &kenji, TOKYO, tom, &slot.start).await, "held for Maya, so taken for Kenji");
    assert!(is_open(&app, &maya, NEW_YORK, tom, &slot.start).await, "the holder still sees the time as hers");
    let res = book_session(&app, &kenji, tom, &slot.start, false, "kenji-key-1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(res).await, AppError::SlotUnavailable);
    // Kenji's own confirm step for that time says so, and holds nothing.
    assert!(open_confirm(&app, &kenji, tom, &slot).await.contains(&AppError::SlotUnavailable.to_string()));
    assert_eq!(holds(&app).await, 1);

    // Booking takes the time in place of the hold.
    assert_eq!(book_session(&app, &maya, tom, &slot.start, false, "maya-key-1").await.status(), StatusCode::OK);
    assert_eq!(holds(&app).await, 0);
}

async fn a_student_holds_one_time_and_going_back_frees_it(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (maya, kenji) = (app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let times = open_times(&app, &maya, tom).await;
    // Two times far enough apart that holding one leaves the other open.
    let at = |s: &OpenTime| DateTime::parse_from_rfc3339(&s.start).unwrap();
    let first = &times[0];
    let second = times.iter().find(|s| at(s) - at(first) >= chrono::Duration::hours(2)).expect("two times two hours apart");

    open_confirm(&app, &maya, tom, first).await;
    open_confirm(&app, &maya, tom, second).await;
    assert_eq!(holds(&app).await, 1, "choosing another time moves the hold");
    assert!(is_open(&app, &kenji, TOKYO, tom, &first.start).await);
    assert!(!is_open(&app, &kenji, TOKYO, tom, &second.start).await);

    // A confirm step left behind ends only its own time's hold, not a newer one.
    assert_eq!(app.call("release_hold", &[("start", &first.start)], Some(&maya)).await.status(), StatusCode::OK);
    assert!(!is_open(&app, &kenji, TOKYO, tom, &second.start).await);
    assert_eq!(app.call("release_hold", &[("start", &second.start)], Some(&maya)).await.status(), StatusCode::OK);
    assert!(is_open(&app, &kenji, TOKYO, tom, &second.start).await);

    // Back to the times (the page itself) ends the hold too.
    open_confirm(&app, &maya, tom, first).await;
    let res = app.get(&format!("/book/{tom}?st={tom}&date={}", first.date), Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(is_open(&app, &kenji, TOKYO, tom, &first.start).await);

    // A hold that has run its term holds nothing.
    open_confirm(&app, &maya, tom, first).await;
    let ended = Utc::now() - chrono::Duration::seconds(1);
    hold::Entity::update_many().col_expr(hold::Column::ExpiresAt, sea_orm::sea_query::Expr::value(ended)).exec(app.db()).await.unwrap();
    assert_eq!(book_session(&app, &kenji, tom, &first.start, false, "kenji-key-2").await.status(), StatusCode::OK);
}

async fn two_students_never_hold_one_time(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (maya, kenji) = (app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    for slot in open_times(&app, &maya, tom).await.into_iter().take(4) {
        let (a, b) = tokio::join!(open_confirm(&app, &maya, tom, &slot), open_confirm(&app, &kenji, tom, &slot));
        assert_eq!(u8::from(a.contains(HELD)) + u8::from(b.contains(HELD)), 1, "{}: one hold, the other refused", slot.start);
        let holders = hold::Entity::find().filter(hold::Column::StartAt.eq(DateTime::parse_from_rfc3339(&slot.start).unwrap()));
        assert_eq!(holders.count(app.db()).await.unwrap(), 1);
        for cookie in [&maya, &kenji] {
            app.call("release_hold", &[], Some(cookie)).await;
        }
    }
}

/// A page's stream of changes, read over a real connection.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    async fn open(base: &str, cookie: &str, st: StId) -> Self {
        let url = format!("{base}/api/live/times?st={st}");
        let response = reqwest::Client::new().get(url).header("cookie", cookie).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self { response, buffer: String::new() }
    }

    /// The next event's name, but for `resync`s (a listener that has just connected sends one).
    async fn next(&mut self) -> String {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                if event.lines().all(|l| l.starts_with(':')) {
                    continue; // a keep-alive
                }
                // A browser's EventSource drops an event whose data is empty.
                assert!(event.lines().any(|l| l.len() > "data: ".len() && l.starts_with("data: ")), "{event:?}");
                match event.lines().find_map(|l| l.strip_prefix("event: ")) {
                    Some("resync") | None => {}
                    Some(name) => return name.to_owned(),
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk()).await.expect("an event within 10 s");
            self.buffer.push_str(std::str::from_utf8(&chunk.unwrap().expect("the stream stays open")).unwrap());
        }
    }

    /// Waits for a `resync`.
    async fn resync(&mut self) {
        loop {
            if let Some(at) = self.buffer.find("event: resync\n") {
                self.buffer.drain(..at + 14);
                return;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(15), self.response.chunk()).await.expect("a resync within 15 s");
            self.buffer.push_str(std::str::from_utf8(&chunk.unwrap().expect("the stream stays open")).unwrap());
        }
    }
}

async fn the_stream_tells_a_page_how_its_times_changed(backend: Backend) {
    let app = TestApp::new(backend).await;
    let base = app.listen().await;
    let (maya, kenji) = (app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let (tom, spanish) = (app.st_id("tom@tutor.test", "Algebra I").await, app.st_id("diego@tutor.test", "Conversational Spanish").await);
    let mut kenjis_page = Stream::open(&base, &kenji, tom).await;

    // Maya's booking in another course involves neither Tom nor Kenji: not told.
    let elsewhere = open_times(&app, &maya, spanish).await.remove(0);
    assert_eq!(book_session(&app, &maya, spanish, &elsewhere.start, false, "maya-spanish").await.status(), StatusCode::OK);
    let slot = open_times(&app, &maya, tom).await.remove(0);
    open_confirm(&app, &maya, tom, &slot).await;
    assert_eq!(kenjis_page.next().await, "held");
    let res = book_session(&app, &maya, tom, &slot.start, false, "maya-tom").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(kenjis_page.next().await, "booked");
    let booked: session_booking::dto::wizard::Booked = ok_json(res).await;
    let res = app.call("cancel_session", &[("session_id", &booked.session_id.to_string())], Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(kenjis_page.next().await, "cancelled");

    // Only students who may book the Student-Teacher are told of their times.
    let client = reqwest::Client::new();
    let ask = |cookie: Option<&str>| {
        let mut request = client.get(format!("{base}/api/live/times?st={tom}"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    assert_eq!(ask(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let lena = app.login("lena@student.test").await;
    assert_eq!(ask(Some(&lena)).await.unwrap().status(), StatusCode::FORBIDDEN, "not enrolled in Algebra I");
    let tom_himself = app.login("tom@tutor.test").await;
    assert_eq!(ask(Some(&tom_himself)).await.unwrap().status(), StatusCode::FORBIDDEN);
}

async fn a_hold_that_runs_its_term_is_cleared_and_its_time_announced_free(backend: Backend) {
    let app = TestApp::new(backend).await;
    let base = app.listen().await;
    let (maya, kenji) = (app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let mut kenjis_page = Stream::open(&base, &kenji, tom).await;
    let slot = open_times(&app, &maya, tom).await.remove(0);
    open_confirm(&app, &maya, tom, &slot).await;
    assert_eq!(kenjis_page.next().await, "held");

    let term = Duration::from_secs(60 * u64::from(app.state.settings.booking.hold_minutes));
    assert_eq!(session_booking::server::holds::end_expired(&app.state, Utc::now()).await.unwrap(), 0, "not yet");
    let later = Utc::now() + chrono::Duration::from_std(term).unwrap() + chrono::Duration::seconds(1);
    assert_eq!(session_booking::server::holds::end_expired(&app.state, later).await.unwrap(), 1);
    assert_eq!(kenjis_page.next().await, "freed");
    assert_eq!(holds(&app).await, 0);
    assert!(is_open(&app, &kenji, TOKYO, tom, &slot.start).await);
}

crate::on_both_backends!(
    a_hold_that_runs_its_term_is_cleared_and_its_time_announced_free,
    the_confirm_step_holds_its_time_for_its_student_alone,
    a_student_holds_one_time_and_going_back_frees_it,
    two_students_never_hold_one_time,
    the_stream_tells_a_page_how_its_times_changed,
);

/// PostgreSQL: a change committed through one app process reaches the pages of another, and a
/// listener that lost its connection tells its pages to fetch again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_in_one_process_reaches_the_pages_of_another() {
    if postgres_url().is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must set TEST_DATABASE_URL");
        return eprintln!("TEST_DATABASE_URL is not set; not run");
    }
    crate::harness::within_time_limit("a_change_in_one_process_reaches_the_pages_of_another", async {
        let first = TestApp::new(Backend::Postgres).await;
        let second = first.second_process().await;
        let base = second.listen().await;
        let (maya, kenji) = (first.login("maya@student.test").await, first.login("kenji@student.test").await);
        let tom = first.st_id("tom@tutor.test", "Algebra I").await;
        let mut kenjis_page = Stream::open(&base, &kenji, tom).await;
        let slot = open_times(&first, &maya, tom).await.remove(0);
        // The second process computes (and keeps) Maya's month before the booking.
        assert!(listed_time(&second, &maya, NEW_YORK, tom, &slot.start).await.is_some_and(|t| t.bookable));
        assert_eq!(book_session(&first, &maya, tom, &slot.start, false, "across-processes").await.status(), StatusCode::OK);
        assert_eq!(kenjis_page.next().await, "booked");
        // Its pages hear of a change only after its calendar cache has: what they fetch is new.
        assert!(!listed_time(&second, &maya, NEW_YORK, tom, &slot.start).await.is_some_and(|t| t.bookable));

        // The listening connections drop (a failover, a restart of the database server).
        let drop_listeners = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                              WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()";
        first.db().execute_unprepared(drop_listeners).await.unwrap();
        kenjis_page.resync().await;
        let next = open_times(&first, &maya, tom).await.remove(0);
        open_confirm(&first, &maya, tom, &next).await;
        assert_eq!(kenjis_page.next().await, "held", "heard again after reconnecting");
    })
    .await
}
