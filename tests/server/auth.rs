use http::{header, StatusCode};
use session_booking::{dto::UserView, error::AppError};

use crate::harness::{app_error, body_text, fn_request, ok_json, Backend, TestApp};

async fn login_sets_a_session_cookie_and_returns_to_next(backend: Backend) {
    let app = TestApp::new(backend).await;
    let res = app.call("login", &[("email", "Maya@Student.test "), ("password", "booking-demo"), ("next", "/courses/1/book")], None).await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/courses/1/book");
    let cookie = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("sb_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let session = cookie.split(';').next().unwrap();
    let user: Option<UserView> = ok_json(app.call("get_current_user", &[], Some(session)).await).await;
    let user = user.expect("logged in");
    assert_eq!(user.email, "maya@student.test");
    assert_eq!(user.timezone, "America/New_York");
}

async fn wrong_credentials_get_a_clear_message(backend: Backend) {
    let app = TestApp::new(backend).await;
    for (email, password) in [("maya@student.test", "wrong"), ("nobody@student.test", "booking-demo")] {
        let res = app.call("login", &[("email", email), ("password", password)], None).await;
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        let err = app_error(res).await;
        assert_eq!(err, AppError::InvalidCredentials);
        assert_eq!(err.to_string(), "Incorrect email or password.");
    }
    let err = app_error(app.call("login", &[("email", ""), ("password", "x")], None).await).await;
    assert!(matches!(err, AppError::InvalidInput { ref field, .. } if field == "email"), "{err:?}");
}

async fn failed_login_without_javascript_returns_to_the_form_with_the_message(backend: Backend) {
    let app = TestApp::new(backend).await;
    let res = app.post_form("login", &[("email", "maya@student.test"), ("password", "nope"), ("next", "/book/2")], None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/login?error=credentials&next=/book/2");
    let page = body_text(app.get("/login?error=credentials&next=/book/2", None).await).await;
    assert!(page.contains("Incorrect email or password."), "{page}");
}

async fn booking_routes_send_visitors_to_login_and_back(backend: Backend) {
    let app = TestApp::new(backend).await;
    for path in ["/courses/1/book", "/book/2", "/dashboard"] {
        let res = app.get(path, None).await;
        assert!(res.status().is_redirection(), "{path}: {}", res.status());
        let location = res.headers().get(header::LOCATION).unwrap().to_str().unwrap();
        assert_eq!(location, format!("/login?next={path}"));
    }
    let res = app.get("/courses/1/book?st=2", None).await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/login?next=/courses/1/book%3Fst%3D2");
    // An invented cookie is no session.
    let res = app.get("/dashboard", Some("sb_session=forged")).await;
    assert!(res.status().is_redirection());
}

async fn logout_ends_the_session(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    assert_eq!(app.get("/dashboard", Some(&cookie)).await.status(), StatusCode::OK);
    let res = app.call("logout", &[], Some(&cookie)).await;
    assert!(res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert!(app.get("/dashboard", Some(&cookie)).await.status().is_redirection());
    let user: Option<UserView> = ok_json(app.call("get_current_user", &[], Some(&cookie)).await).await;
    assert_eq!(user, None);
}

async fn posts_from_other_sites_are_refused(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let request = http::Request::post("/api/schedule_later")
        .header(header::HOST, crate::harness::HOST)
        .header(header::ORIGIN, "https://evil.test")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("course_id=1"))
        .unwrap();
    let res = app.send(request).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(body_text(res).await, AppError::CrossSite.to_string());
}

async fn expired_sessions_are_no_sessions_and_get_cleared(backend: Backend) {
    use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
    use session_booking::entities::login_session;
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let row = login_session::Entity::find().one(app.db()).await.unwrap().unwrap();
    let mut expired: login_session::ActiveModel = row.into();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    expired.update(app.db()).await.unwrap();
    assert!(app.get("/dashboard", Some(&cookie)).await.status().is_redirection(), "an expired session is refused");
    app.login("kenji@student.test").await;
    assert_eq!(login_session::Entity::find().count(app.db()).await.unwrap(), 1, "only Kenji's live session is left");
}

async fn password_guessing_is_slowed_per_account(backend: Backend) {
    let app = TestApp::new(backend).await;
    for _ in 0..10 {
        let res = app.call("login", &[("email", "maya@student.test"), ("password", "guess")], None).await;
        assert_eq!(app_error(res).await, AppError::InvalidCredentials);
    }
    // The eleventh try within the minute is refused even with the right password.
    let res = app.call("login", &[("email", "Maya@student.test"), ("password", "booking-demo")], None).await;
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let err = app_error(res).await;
    assert_eq!(err, AppError::TooManyAttempts);
    assert_eq!(err.to_string(), "Too many login attempts. Wait a minute and try again.");
    // Without JavaScript the form comes back with the same message.
    let res = app.post_form("login", &[("email", "maya@student.test"), ("password", "booking-demo")], None).await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/login?error=attempts&next=/dashboard");
    let page = body_text(app.get("/login?error=attempts&next=/dashboard", None).await).await;
    assert!(page.contains("Too many login attempts. Wait a minute and try again."));
    // Other accounts are not affected.
    app.login("kenji@student.test").await;
}

/// A login attempt from `ip`, as a trusted proxy reports it.
async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> http::Response<axum::body::Body> {
    let mut request = fn_request("login", &[("email", email), ("password", password)], None, "application/json");
    request.headers_mut().insert("x-forwarded-for", ip.parse().unwrap());
    app.send(request).await
}

async fn one_address_trying_many_accounts_is_slowed(backend: Backend) {
    let app = TestApp::configured(backend, |s| {
        s.server.trust_forwarded_for = true;
        s.server.login_attempts_per_ip_per_minute = 5.try_into().unwrap();
    })
    .await;
    for n in 0..5 {
        let res = login_from(&app, "203.0.113.7", &format!("user{n}@student.test"), "guess").await;
        assert_eq!(app_error(res).await, AppError::InvalidCredentials);
    }
    let res = login_from(&app, "203.0.113.7", "maya@student.test", "booking-demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app_error(res).await, AppError::TooManyAttempts);
    // Another address, and the account itself, are unaffected.
    let res = login_from(&app, "198.51.100.20", "maya@student.test", "booking-demo").await;
    assert!(res.headers().get(header::SET_COOKIE).is_some(), "{}", res.status());
}

/// Wrong passwords from one address cannot keep the owner out from another (127.0.0.1 and
/// 127.0.0.2 both reach a server on loopback).
async fn a_stranger_guessing_cannot_lock_the_owner_out(backend: Backend) {
    let app = TestApp::configured(backend, |s| s.server.login_attempts_per_minute = 4.try_into().unwrap()).await;
    let from = |last: u8, password: &'static str| {
        let mut request = fn_request("login", &[("email", "maya@student.test"), ("password", password)], None, "application/json");
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, last], 40000))));
        app.send(request)
    };
    for _ in 0..4 {
        assert_eq!(app_error(from(2, "guess").await).await, AppError::InvalidCredentials);
    }
    // The guesser's address is stopped, even with the right password.
    assert_eq!(app_error(from(2, "booking-demo").await).await, AppError::TooManyAttempts);
    // The owner, elsewhere, gets in (slowed, since the account is being guessed at).
    let res = from(1, "booking-demo").await;
    assert!(res.headers().get(header::SET_COOKIE).is_some(), "{}", res.status());
}

async fn limits_hold_across_app_processes(backend: Backend) {
    let first = TestApp::configured(backend, |s| s.server.login_attempts_per_minute = 4.try_into().unwrap()).await;
    let second = first.second_process().await;
    for app in [&first, &second, &first, &second] {
        let res = app.call("login", &[("email", "maya@student.test"), ("password", "guess")], None).await;
        assert_eq!(app_error(res).await, AppError::InvalidCredentials);
    }
    // Four tries spread over two processes use up the account's four.
    for app in [&first, &second] {
        let res = app.call("login", &[("email", "maya@student.test"), ("password", "booking-demo")], None).await;
        assert_eq!(app_error(res).await, AppError::TooManyAttempts);
    }
}

async fn old_windows_are_forgotten(backend: Backend) {
    use sea_orm::{EntityTrait, PaginatorTrait};
    use session_booking::{entities::login_attempt, server::login_limits};
    let app = TestApp::new(backend).await;
    app.call("login", &[("email", "maya@student.test"), ("password", "guess")], None).await;
    let counted = login_attempt::Entity::find().count(app.db()).await.unwrap();
    assert_eq!(counted, 3, "one row for the address, one for the account from it, one for the account");
    let now = chrono::Utc::now();
    assert_eq!(login_limits::forget_before(app.db(), now).await.unwrap(), 0, "the current window stays");
    assert_eq!(login_limits::forget_before(app.db(), now + chrono::Duration::minutes(2)).await.unwrap(), 3);
}

async fn oversized_credentials_are_refused_before_any_work(backend: Backend) {
    let app = TestApp::new(backend).await;
    let long_email = format!("{}@student.test", "a".repeat(300));
    let err = app_error(app.call("login", &[("email", &long_email), ("password", "x")], None).await).await;
    assert!(matches!(err, AppError::InvalidInput { ref field, .. } if field == "email"), "{err:?}");
    let long_password = "p".repeat(1025);
    let res = app.call("login", &[("email", "maya@student.test"), ("password", &long_password)], None).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(app_error(res).await, AppError::InvalidInput { ref field, .. } if field == "password"));
    // A 2 MB email is not read at all: refused on its Content-Length, as a browser sends it,
    // and without one once the limit is reached.
    let huge = "e".repeat(2 * 1024 * 1024);
    let post = |length: Option<usize>| {
        let mut request = fn_request("login", &[("email", &huge), ("password", "x")], None, "application/json");
        if let Some(length) = length {
            request.headers_mut().insert(header::CONTENT_LENGTH, length.into());
        }
        request
    };
    let sent_length = huge.len() + "email=&password=x".len();
    assert_eq!(app.send(post(Some(sent_length))).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let res = app.send(post(None)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let err = app_error(res).await;
    assert!(matches!(err, AppError::Malformed(_)), "{err:?}");
}

async fn idle_sessions_end_and_used_ones_stay(backend: Backend) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use session_booking::entities::login_session;
    let app = TestApp::new(backend).await;
    let idle_hours = i64::from(app.state.settings.server.session_idle_hours.get());
    let cookie = app.login("maya@student.test").await;
    let db = app.db();
    let set_last_seen = |hours_ago: i64| async move {
        let row = login_session::Entity::find().one(db).await.unwrap().unwrap();
        let mut row: login_session::ActiveModel = row.into();
        row.last_seen_at = Set(chrono::Utc::now() - chrono::Duration::hours(hours_ago));
        row.update(db).await.unwrap();
    };
    // Used an hour ago: still a session, and this use is remembered.
    set_last_seen(1).await;
    assert_eq!(app.get("/dashboard", Some(&cookie)).await.status(), StatusCode::OK);
    let seen = login_session::Entity::find().one(app.db()).await.unwrap().unwrap().last_seen_at;
    assert!(chrono::Utc::now() - seen < chrono::Duration::minutes(1), "last_seen_at moved to now: {seen}");
    // Unused for longer than the idle timeout: gone, though its 30 days have not passed.
    set_last_seen(idle_hours + 1).await;
    assert!(app.get("/dashboard", Some(&cookie)).await.status().is_redirection());
}

async fn a_student_signs_out_their_other_devices(backend: Backend) {
    use session_booking::dto::settings::Settings;
    let app = TestApp::new(backend).await;
    let (laptop, phone, kenji) =
        (app.login("maya@student.test").await, app.login("maya@student.test").await, app.login("kenji@student.test").await);
    let settings: Settings = ok_json(app.call("load_settings", &[], Some(&laptop)).await).await;
    assert_eq!(settings.other_devices, 1);
    let page = body_text(app.get("/settings", Some(&laptop)).await).await;
    assert!(page.contains("You are also signed in on 1 other device."), "{page}");

    let res = app.post_form("sign_out_other_devices", &[("next", "/dashboard")], Some(&laptop)).await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), "/settings?signed_out=1&next=/dashboard");
    assert!(app.get("/dashboard", Some(&phone)).await.status().is_redirection(), "the phone is signed out");
    assert_eq!(app.get("/dashboard", Some(&laptop)).await.status(), StatusCode::OK, "this device stays");
    assert_eq!(app.get("/dashboard", Some(&kenji)).await.status(), StatusCode::OK, "other students stay");
    let page = body_text(app.get("/settings?signed_out=1&next=/dashboard", Some(&laptop)).await).await;
    assert!(page.contains("Signed out of 1 other device.") && page.contains("You are signed in on this device only."), "{page}");
    // Without a session there is nothing to sign out.
    assert_eq!(app.call("sign_out_other_devices", &[], None).await.status(), StatusCode::UNAUTHORIZED);
}

crate::on_both_backends!(
    a_stranger_guessing_cannot_lock_the_owner_out,
    one_address_trying_many_accounts_is_slowed,
    limits_hold_across_app_processes,
    old_windows_are_forgotten,
    oversized_credentials_are_refused_before_any_work,
    idle_sessions_end_and_used_ones_stay,
    a_student_signs_out_their_other_devices,
    login_sets_a_session_cookie_and_returns_to_next,
    wrong_credentials_get_a_clear_message,
    failed_login_without_javascript_returns_to_the_form_with_the_message,
    booking_routes_send_visitors_to_login_and_back,
    logout_ends_the_session,
    posts_from_other_sites_are_refused,
    expired_sessions_are_no_sessions_and_get_cleared,
    password_guessing_is_slowed_per_account,
);
