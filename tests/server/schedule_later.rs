use http::{header, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use session_booking::{dto::dashboard::Dashboard, entities::schedule_later_request, error::AppError};

use crate::harness::{app_error, body_text, ok_json, Backend, TestApp};

async fn open_requests(app: &TestApp) -> u64 {
    schedule_later_request::Entity::find()
        .filter(schedule_later_request::Column::Status.eq(session_booking::entities::RequestStatus::Open))
        .count(app.db())
        .await
        .unwrap()
}

async fn schedule_later_records_one_request_and_shows_it_on_the_dashboard(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await.to_string();

    let res = app.call("schedule_later", &[("course_id", &algebra)], Some(&cookie)).await;
    assert_eq!(res.headers().get(header::LOCATION).unwrap().to_str().unwrap(), format!("/courses/{algebra}/book/later"));
    // Posting again (a double click, a second tab) keeps one open request.
    ok_json::<()>(app.call("schedule_later", &[("course_id", &algebra)], Some(&cookie)).await).await;
    assert_eq!(open_requests(&app).await, 1);
    let events = app.events("schedule_later").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["course_id"].to_string(), algebra);

    let html = body_text(app.get(&format!("/courses/{algebra}/book/later"), Some(&cookie)).await).await;
    for text in ["We'll notify you when you're ready to schedule", "You can schedule anytime from your dashboard", "Continue to Dashboard"]
    {
        assert!(html.contains(text), "missing {text:?}");
    }
    let dashboard: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&cookie)).await).await;
    assert_eq!(dashboard.requests.len(), 1);
    assert_eq!(dashboard.requests[0].course.title, "Algebra I");
}

async fn schedule_later_works_without_javascript(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let spanish = app.course_id("Conversational Spanish").await.to_string();
    let res = app.post_form("schedule_later", &[("course_id", &spanish)], Some(&cookie)).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers().get(header::LOCATION).unwrap().to_str().unwrap(), format!("/courses/{spanish}/book/later"));
    assert_eq!(open_requests(&app).await, 1);
}

async fn schedule_later_needs_enrollment_and_a_login(backend: Backend) {
    let app = TestApp::new(backend).await;
    let algebra = app.course_id("Algebra I").await.to_string();
    let res = app.call("schedule_later", &[("course_id", &algebra)], None).await;
    assert_eq!(app_error(res).await, AppError::NotAuthenticated);
    let lena = app.login("lena@student.test").await;
    let res = app.call("schedule_later", &[("course_id", &algebra)], Some(&lena)).await;
    assert_eq!(app_error(res).await, AppError::NotEnrolled);
    let res = app.call("schedule_later", &[("course_id", "777")], Some(&lena)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::Course));
    assert_eq!(open_requests(&app).await, 0, "nothing recorded");
    // Without a request there is no confirmation to show.
    let res = app.call("load_schedule_later", &[("course_id", &algebra)], Some(&lena)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::ScheduleLaterRequest));
}

async fn concurrent_posts_all_succeed_and_keep_one_request(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::new(backend).await);
    let cookie = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await.to_string();
    let mut posts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (app, cookie, algebra) = (app.clone(), cookie.clone(), algebra.clone());
        posts.spawn(async move { app.call("schedule_later", &[("course_id", &algebra)], Some(&cookie)).await });
    }
    while let Some(res) = posts.join_next().await {
        ok_json::<()>(res.unwrap()).await;
    }
    assert_eq!(open_requests(&app).await, 1);
}

crate::on_both_backends!(
    concurrent_posts_all_succeed_and_keep_one_request,
    schedule_later_records_one_request_and_shows_it_on_the_dashboard,
    schedule_later_works_without_javascript,
    schedule_later_needs_enrollment_and_a_login,
);
