use chrono::Timelike;
use sea_orm::EntityTrait;
use session_booking::{
    dto::{courses::CoursePage, dashboard::Dashboard},
    entities::session,
};

use crate::harness::{body_text, ok_json, Backend, TestApp};

async fn dashboard_lists_courses_and_upcoming_sessions_in_the_students_zone(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let d: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&cookie)).await).await;
    assert_eq!(d.student_name, "Maya Chen");
    let titles: Vec<&str> = d.courses.iter().map(|c| c.course.title.as_str()).collect();
    assert_eq!(titles, ["Algebra I", "Conversational Spanish"]);
    // One seeded session of Algebra I's eight; past them, $25.00 each.
    let algebra = &d.courses[0];
    assert_eq!((algebra.allowance.used, algebra.allowance.left), (1, 7));
    assert_eq!(algebra.allowance.words(algebra.course.session_price.as_deref()), "7 of 8 included sessions left, then $25.00 each");
    assert_eq!(d.upcoming.len(), 1);
    let session = &d.upcoming[0];
    assert_eq!((session.course_title.as_str(), session.teacher_name.as_str()), ("Algebra I", "Tom Walker"));
    // Seeded at 09:00 in Tom's London; shown in Maya's New York time.
    let seeded = session::Entity::find_by_id(session.id).one(app.db()).await.unwrap().unwrap();
    let london = seeded.start_at.with_timezone(&chrono_tz::Europe::London);
    assert_eq!((london.hour(), london.minute()), (9, 0));
    let ny = seeded.start_at.with_timezone(&chrono_tz::America::New_York);
    assert!(session.time_label.starts_with(&format!("{}:00 AM – ", ny.hour())), "{}", session.time_label);
    assert!(session.time_label.ends_with(" EST") || session.time_label.ends_with(" EDT"), "{}", session.time_label);
    assert!(d.requests.is_empty());

    let html = body_text(app.get("/dashboard", Some(&cookie)).await).await;
    assert!(html.contains("Welcome back, Maya") && html.contains("Book Session"));
}

async fn enrolling_opens_the_booking_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("lena@student.test").await;
    let algebra = app.course_id("Algebra I").await.to_string();
    let page: CoursePage = ok_json(app.call("load_course_page", &[("course_id", &algebra)], Some(&cookie)).await).await;
    assert!(!page.enrolled);
    assert_eq!(page.teachers.len(), 4);
    let res = app.call("enroll", &[("course_id", &algebra)], Some(&cookie)).await;
    assert_eq!(res.headers().get(http::header::LOCATION).unwrap().to_str().unwrap(), format!("/courses/{algebra}/book"));
    ok_json::<()>(app.call("enroll", &[("course_id", &algebra)], Some(&cookie)).await).await;
    let page: CoursePage = ok_json(app.call("load_course_page", &[("course_id", &algebra)], Some(&cookie)).await).await;
    assert!(page.enrolled);
}

crate::on_both_backends!(dashboard_lists_courses_and_upcoming_sessions_in_the_students_zone, enrolling_opens_the_booking_page);
