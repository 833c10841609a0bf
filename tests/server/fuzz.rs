//! Garbage at every server function: each answers a client's fault with 4xx, never 5xx, and
//! nothing panics. The functions are the ones registered in the app, so a new one is covered
//! the day it is added.
use axum::body::Body;
use http::{header, Request};
use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::harness::{app_error, body_text, Backend, TestApp, HOST};

/// Every argument name the app's server functions take, so that garbage reaches the decoding
/// and validation of each one rather than stopping at a missing field.
const FIELDS: [&str; 17] = [
    "course_id",
    "st_id",
    "student_teacher_id",
    "session_id",
    "date",
    "month",
    "start",
    "time",
    "note",
    "reminders",
    "idempotency_key",
    "email",
    "password",
    "next",
    "timezone",
    "arrived",
    "step",
];

/// Values of the wrong type, out of range, malformed or hostile.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        "abc",
        "-1",
        "0",
        "2147483648",
        "-2147483649",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "true",
        "2026-02-30",
        "9999-99-99",
        "+262142-12-31",
        "-0001-01-01",
        "+262142-12",
        "+262142-12-31T23:59:59Z",
        "2026-13",
        "2026-11-25T25:61:00Z",
        "0000-01-01T00:00:00Z",
        "Mars/Olympus",
        "\u{0}\u{1b}[31m\r\n",
        "%FF%FE",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "{\"a\":[1,2]}",
        "🙂",
        "//evil.test",
        "' OR 1=1 --",
    ]
    .map(String::from)
    .to_vec();
    values.push("x".repeat(60_000));
    values
}

fn random_text(rng: &mut StdRng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.gen()).collect()
}

/// Bodies of every shape: forms with hostile values, random bytes, JSON, nothing.
fn bodies(rng: &mut StdRng) -> Vec<(&'static str, Vec<u8>)> {
    const FORM: &str = "application/x-www-form-urlencoded";
    let mut bodies = vec![(FORM, Vec::new()), ("application/json", b"{\"course_id\": \"x\"}".to_vec()), ("text/plain", b"hello".to_vec())];
    for value in hostile_values() {
        let form: String = FIELDS.iter().map(|f| format!("{f}={}&", session_booking::urls::urlencode(&value))).collect();
        bodies.push((FORM, form.into_bytes()));
    }
    for field in FIELDS {
        // One field at a time, the rest absent, with a random value.
        let value = random_text(rng, 12);
        let mut form = format!("{field}=").into_bytes();
        form.extend(value);
        bodies.push((FORM, form));
    }
    for len in [1, 7, 64, 4096] {
        bodies.push((FORM, random_text(rng, len)));
        bodies.push(("application/octet-stream", random_text(rng, len)));
    }
    bodies
}

async fn garbage_never_gets_a_server_error(backend: Backend) {
    let app = TestApp::new(backend).await;
    let student = app.login("maya@student.test").await;
    let tutor = app.login("priya@tutor.test").await;
    let mut rng = StdRng::seed_from_u64(20261125);
    let bodies = bodies(&mut rng);
    let mut functions: Vec<_> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    functions.sort();
    assert!(functions.len() >= 15, "the app's server functions are registered: {functions:?}");
    let mut sent = 0;
    for path in &functions {
        for cookie in [None, Some(student.as_str()), Some(tutor.as_str())] {
            for (content_type, body) in &bodies {
                for accept in ["application/json", "text/html"] {
                    let mut request = Request::post(*path)
                        .header(header::HOST, HOST)
                        .header(header::ORIGIN, format!("http://{HOST}"))
                        .header(header::CONTENT_TYPE, *content_type)
                        .header(header::ACCEPT, accept);
                    if let Some(cookie) = cookie {
                        request = request.header(header::COOKIE, cookie);
                    }
                    let res = app.send(request.body(Body::from(body.clone())).unwrap()).await;
                    let status = res.status();
                    if status.is_server_error() {
                        let shown = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                        panic!("{path} answered {status} to {content_type} {shown:?}: {}", body_text(res).await);
                    }
                    sent += 1;
                }
            }
        }
    }
    eprintln!("{sent} garbage requests to {} server functions, no 5xx", functions.len());
}

/// The pages take ids and choices from the URL: garbage there is a 4xx page (or a redirect),
/// never a 5xx one.
async fn garbage_in_page_urls_never_gets_a_server_error(backend: Backend) {
    let app = TestApp::new(backend).await;
    let student = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    for value in hostile_values().into_iter().filter(|v| v.len() < 1000) {
        let v = session_booking::urls::urlencode(&value);
        let paths = [
            format!("/courses/{v}/book"),
            format!("/courses/{v}"),
            format!("/book/{v}"),
            format!("/student-teachers/{v}"),
            format!("/sessions/{v}/booked"),
            format!("/sessions/{v}"),
            format!("/sessions/{v}?changed={v}"),
            format!("/sessions/{v}/cancel"),
            format!("/sessions/{v}/calendar"),
            format!("/courses/{algebra}/book?st={v}&date={v}&time={v}&month={v}&week={v}"),
            format!("/courses/{algebra}/book?st=2&reschedule={v}&date={v}&start={v}"),
            format!("/settings?next={v}&signed_out={v}"),
            format!("/login?next={v}&error={v}"),
        ];
        for path in paths {
            let res = app.get(&path, Some(&student)).await;
            assert!(!res.status().is_server_error(), "{path} answered {}", res.status());
        }
    }
}

/// Dates chrono parses but no calendar sums survive (signed years up to ±262,143), and dates
/// that do not exist, in every date, month and start field, behind a real Student-Teacher and
/// course so that the date is what gets judged: each a 400 naming its field, or a page that says
/// so, never a panic or a 5xx.
async fn far_and_impossible_dates_are_refused_everywhere(backend: Backend) {
    let app = TestApp::new(backend).await;
    let student = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await.to_string();
    let tom = app.st_id("tom@tutor.test", "Algebra I").await.to_string();
    let page = format!("/courses/{algebra}/book");
    let far = ["+262142-12-31", "-0001-01-01", "2026-02-30", "9999-12-31", "+262142-12", "+262142-12-31T23:59:59Z", "2026-02-30T10:00:00Z"];
    // Logging out would end the session the rest of the requests need.
    let mut functions: Vec<_> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).filter(|p| !p.ends_with("/logout")).collect();
    functions.sort();
    for value in far {
        for path in &functions {
            let endpoint = path.trim_start_matches("/api/");
            let form = [
                ("course_id", algebra.as_str()),
                ("st_id", &tom),
                ("page", &page),
                ("idempotency_key", "far-date-key"),
                ("date", value),
                ("month", value),
                ("start", value),
            ];
            let res = app.call(endpoint, &form, Some(&student)).await;
            assert!(!res.status().is_server_error(), "{endpoint} answered {} to {value}", res.status());
        }
        let v = session_booking::urls::urlencode(value);
        for path in
            [format!("{page}?st={tom}&date={v}"), format!("{page}?st={tom}&month={v}"), format!("/book/{tom}?date=2026-12-01&start={v}")]
        {
            let res = app.get(&path, Some(&student)).await;
            assert!(!res.status().is_server_error(), "{path} answered {}", res.status());
        }
    }
    // The request that once panicked: a 400 that names the field.
    let res = app.call("load_day_times", &[("st_id", &tom), ("date", "+262142-12-31")], Some(&student)).await;
    assert_eq!(res.status(), 400);
    assert!(matches!(app_error(res).await, session_booking::error::AppError::InvalidInput { field, .. } if field == "date"));
    let res = app.get(&format!("{page}?st={tom}&date=%2B262142-12-31"), Some(&student)).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("Expected a date such as 2026-12-01."));
}

crate::on_both_backends!(
    garbage_never_gets_a_server_error,
    garbage_in_page_urls_never_gets_a_server_error,
    far_and_impossible_dates_are_refused_everywhere
);
