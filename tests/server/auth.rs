use http::{header, StatusCode};
use session_booking::{api::UserView, error::AppError};

use crate::harness::{app_error, body_text, ok_json, Backend, TestApp};

async fn login_sets_a_session_cookie_and_returns_to_next(backend: Backend) {
    let app = TestApp::new(backend).await;
    let res = app
        .call("login", &[("email", "Maya@Student.test "), ("password", "booking-demo"), ("next", "/courses/1/book")], None)
        .await;
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

crate::on_both_backends!(
    login_sets_a_session_cookie_and_returns_to_next,
    wrong_credentials_get_a_clear_message,
    failed_login_without_javascript_returns_to_the_form_with_the_message,
    booking_routes_send_visitors_to_login_and_back,
    logout_ends_the_session,
    posts_from_other_sites_are_refused,
    expired_sessions_are_no_sessions_and_get_cleared,
    password_guessing_is_slowed_per_account,
);
