use session_booking::api::{courses::CoursePage, dashboard::Dashboard};

use crate::harness::{body_text, ok_json, Backend, TestApp};

async fn dashboard_lists_courses_and_upcoming_sessions_in_the_students_zone(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let d: Dashboard = ok_json(app.call("load_dashboard", &[], Some(&cookie)).await).await;
    assert_eq!(d.student_name, "Maya Chen");
    let titles: Vec<&str> = d.courses.iter().map(|c| c.course.title.as_str()).collect();
    assert_eq!(titles, ["Algebra I", "Conversational Spanish"]);
    assert_eq!(d.courses[0].sessions_booked, 1);
    assert_eq!(d.upcoming.len(), 1);
    let session = &d.upcoming[0];
    assert_eq!((session.course_title.as_str(), session.teacher_name.as_str()), ("Algebra I", "Tom Walker"));
    // 09:00 in London is 04:00 in New York (EST or EDT; both five hours behind in winter/summer pairs).
    assert!(session.time_label.starts_with("4:00 AM – 5:00 AM E"), "{}", session.time_label);
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
