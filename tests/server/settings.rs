//! `/settings`: the student's timezone, which every time on the booking page follows.
use http::{header, StatusCode};
use session_booking::{dto::wizard::MonthDays, error::AppError};

use crate::harness::{app_error, body_text, ok_json, Backend, TestApp};

async fn a_new_timezone_relabels_the_times_and_returns_to_the_step(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await.to_string();
    let before: MonthDays = ok_json(app.call("load_month_days", &[("st_id", &tom)], Some(&maya)).await).await;
    assert_eq!(before.timezone_label, "Eastern Time (New York)");

    let back = format!("/courses/1/book?st={tom}");
    let res = app.post_form("update_timezone", &[("timezone", "Asia/Kathmandu"), ("next", &back)], Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()[header::LOCATION], back.as_str());
    let after: MonthDays = ok_json(app.call("load_month_days", &[("st_id", &tom)], Some(&maya)).await).await;
    assert_eq!(after.timezone_label, "Kathmandu time");
    let (was, is) = (before.next_available.unwrap().time, after.next_available.unwrap().time);
    assert_eq!(was.start, is.start, "the same instant");
    assert_ne!(was.start_label, is.start_label, "shown on another clock");

    // An unknown zone is refused with the field's message, and a `next` off the site is ignored.
    let res = app.call("update_timezone", &[("timezone", "Mars/Olympus")], Some(&maya)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(app_error(res).await, AppError::InvalidInput { field, .. } if field == "timezone"));
    let res = app.post_form("update_timezone", &[("timezone", "Europe/Berlin"), ("next", "https://evil.test/")], Some(&maya)).await;
    assert_eq!(res.headers()[header::LOCATION], "/dashboard");
    let page = body_text(app.get("/settings", Some(&maya)).await).await;
    assert!(page.contains(r#"<option value="Europe/Berlin" selected"#) || page.contains(r#"selected value="Europe/Berlin""#), "{page}");
}

/// The page's Back link and its forms take `next` from the URL: only a path on this site.
async fn the_settings_page_links_back_only_to_this_site(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    for evil in ["https://evil.test/", "//evil.test/x", "/\\evil.test"] {
        let page = body_text(app.get(&format!("/settings?next={}", session_booking::urls::urlencode(evil)), Some(&maya)).await).await;
        assert!(!page.contains("evil.test"), "{evil} reached the page: {page}");
        assert!(page.contains(r#"href="/dashboard""#));
    }
    let page = body_text(app.get("/settings?next=/courses/1/book%3Fst%3D2", Some(&maya)).await).await;
    assert!(page.contains(r#"href="/courses/1/book?st=2" class="back-link""#), "{page}");
}

crate::on_both_backends!(a_new_timezone_relabels_the_times_and_returns_to_the_step, the_settings_page_links_back_only_to_this_site);
