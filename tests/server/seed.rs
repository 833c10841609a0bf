use sea_orm::{EntityTrait, PaginatorTrait};
use session_booking::{
    entities::{availability, course, enrollment, session, student_teacher, user},
    server::{auth::verify_password, seed},
};

use crate::harness::{body_text, Backend, TestApp};

async fn seeds_the_demo_world_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let db = app.db();
    assert!(!seed::seed_if_empty(db, app.state.video.as_ref(), chrono::Utc::now()).await.unwrap(), "already seeded by start-up");
    assert_eq!(user::Entity::find().count(db).await.unwrap(), 9);
    assert_eq!(course::Entity::find().count(db).await.unwrap(), 3);
    assert_eq!(student_teacher::Entity::find().count(db).await.unwrap(), 7);
    assert_eq!(enrollment::Entity::find().count(db).await.unwrap(), 5);
    // Priya 5, Tom 3, Aarav 1, Sofia 6, Diego 7, Ana 5.
    assert_eq!(availability::Entity::find().count(db).await.unwrap(), 27);
    let sessions = session::Entity::find().all(db).await.unwrap();
    assert_eq!(sessions.len(), 5);
    let now = chrono::Utc::now();
    assert!(sessions.iter().all(|s| s.start_at > now && s.start_at < now + chrono::Duration::days(21)));
    assert!(
        sessions.iter().all(|s| s.video_url.as_deref().is_some_and(|u| u.starts_with("https://meet.jit.si/"))),
        "demo sessions have rooms"
    );
    for u in user::Entity::find().all(db).await.unwrap() {
        assert!(verify_password(seed::DEMO_PASSWORD, &u.password_hash), "{}", u.email);
        assert!(u.timezone.parse::<chrono_tz::Tz>().is_ok(), "{}", u.timezone);
    }
}

async fn demo_accounts_only_on_sqlite_unless_asked(backend: Backend) {
    // The shipped settings, which leave `seed_demo` unset.
    let app = TestApp::configured(backend, |s| s.server.seed_demo = None).await;
    let users = user::Entity::find().count(app.db()).await.unwrap();
    match backend {
        Backend::Sqlite => assert_eq!(users, 9, "the embedded default just works"),
        Backend::Postgres => assert_eq!(users, 0, "no known-password accounts on a real deployment"),
    }
}

/// The login page names the demo's password only where it logs someone in.
async fn the_demo_hint_only_where_the_demo_logs_in(backend: Backend) {
    let seeded = TestApp::new(backend).await;
    assert!(body_text(seeded.get("/login", None).await).await.contains("booking-demo"));
    let empty = TestApp::configured(backend, |s| s.server.seed_demo = Some(false)).await;
    let page = body_text(empty.get("/login", None).await).await;
    assert!(page.contains("Log in") && !page.contains("booking-demo") && !page.contains("Trying the demo"), "{page}");
}

crate::on_both_backends!(seeds_the_demo_world_once, demo_accounts_only_on_sqlite_unless_asked, the_demo_hint_only_where_the_demo_logs_in);
