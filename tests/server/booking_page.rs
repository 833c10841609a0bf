use session_booking::{dto::booking::BookingPage, error::AppError};

use crate::harness::{app_error, body_text, ok_json, Backend, TestApp};

async fn lists_the_courses_active_student_teachers(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    let page: BookingPage =
        ok_json(app.call("load_booking_page", &[("course_id", &algebra.to_string()), ("arrived", "true")], Some(&cookie)).await).await;
    assert_eq!(page.course.title, "Algebra I");
    assert!(page.enrolled);
    assert_eq!(page.preselected, None);
    assert_eq!(page.student_timezone, "America/New_York");
    let names: Vec<&str> = page.teachers.iter().map(|t| t.name.as_str()).collect();
    // Best rated first, unrated last.
    assert_eq!(names, ["Priya Nair", "Sofia Alves", "Tom Walker", "Aarav Shrestha"]);
    assert_eq!(page.teachers[3].rating, None);
    assert!(page.teachers.iter().all(|t| t.students_taught > 0));

    assert_eq!(app.events("page_view").await, [serde_json::json!({ "course_id": algebra, "st_preselected": false })]);

    // The server-rendered page shows the same.
    let html = body_text(app.get(&format!("/courses/{algebra}/book"), Some(&cookie)).await).await;
    for text in ["Book a Session", "for Algebra I", "Priya Nair", "42 students taught", "Select", "Schedule Later"] {
        assert!(html.contains(text), "missing {text:?}");
    }
}

async fn a_course_without_active_student_teachers_says_so(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("kenji@student.test").await;
    let python = app.course_id("Intro to Python").await;
    let page: BookingPage = ok_json(app.call("load_booking_page", &[("course_id", &python.to_string())], Some(&cookie)).await).await;
    assert!(page.enrolled);
    assert!(page.teachers.is_empty(), "Ana is inactive");
    let html = body_text(app.get(&format!("/courses/{python}/book"), Some(&cookie)).await).await;
    assert!(html.contains("No Student-Teachers available. Try later."));
}

async fn a_student_not_enrolled_is_told_to_enroll(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("lena@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    let page: BookingPage = ok_json(app.call("load_booking_page", &[("course_id", &algebra.to_string())], Some(&cookie)).await).await;
    assert!(!page.enrolled);
    assert!(page.teachers.is_empty(), "nothing to book without enrollment");
    let html = body_text(app.get(&format!("/courses/{algebra}/book"), Some(&cookie)).await).await;
    assert!(html.contains("You must be enrolled to book."));
    assert!(html.contains("Enroll now") && html.contains(&format!("href=\"/courses/{algebra}\"")));
}

async fn a_student_teacher_link_preselects_them(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let sofia_algebra = app.st_id("sofia@tutor.test", "Algebra I").await;
    let page: BookingPage =
        ok_json(app.call("load_booking_page", &[("st_id", &sofia_algebra.to_string()), ("arrived", "true")], Some(&cookie)).await).await;
    assert_eq!(page.course.title, "Algebra I");
    assert_eq!(page.preselected.as_ref().map(|t| t.name.as_str()), Some("Sofia Alves"));
    assert_eq!(app.events("page_view").await[0]["st_preselected"], true);

    let html = body_text(app.get(&format!("/book/{sofia_algebra}"), Some(&cookie)).await).await;
    assert!(html.contains("Sofia Alves") && html.contains("Select a date"), "step 1 skipped");

    // A Student-Teacher of another course does not belong on this course's page.
    let spanish = app.course_id("Conversational Spanish").await;
    let res = app
        .call(
            "load_booking_page",
            &[("course_id", &spanish.to_string()), ("st_id", &app.st_id("priya@tutor.test", "Algebra I").await.to_string())],
            Some(&cookie),
        )
        .await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::StudentTeacher));
    let res = app.call("load_booking_page", &[("st_id", "99999")], Some(&cookie)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::StudentTeacher));
}

async fn choosing_a_student_teacher_moves_to_the_date_step(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let html = body_text(app.get(&format!("/courses/{algebra}/book?st={tom}"), Some(&cookie)).await).await;
    assert!(html.contains("Select a date") && html.contains("Tom Walker"));
    assert!(!html.contains("Choose a Student-Teacher"));

    let res = app.call("select_student_teacher", &[("st_id", &tom.to_string())], Some(&cookie)).await;
    ok_json::<()>(res).await;
    assert_eq!(app.events("st_selected").await, [serde_json::json!({ "st_id": tom })]);
}

async fn only_logged_in_students_may_load_the_page(backend: Backend) {
    let app = TestApp::new(backend).await;
    let res = app.call("load_booking_page", &[("course_id", "1")], None).await;
    assert_eq!(app_error(res).await, AppError::NotAuthenticated);
    let tutor = app.login("priya@tutor.test").await;
    let res = app.call("load_booking_page", &[("course_id", "1")], Some(&tutor)).await;
    assert_eq!(app_error(res).await, AppError::NotAStudent);
    let maya = app.login("maya@student.test").await;
    let res = app.call("load_booking_page", &[("course_id", "4242")], Some(&maya)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::Course));
    let res = app.call("load_booking_page", &[("course_id", "one")], Some(&maya)).await;
    assert_eq!(res.status(), http::StatusCode::BAD_REQUEST);
    let err = app_error(res).await;
    assert!(matches!(err, AppError::Malformed(_)), "malformed arguments are refused: {err:?}");
    assert!(err.to_string().starts_with("This request was not understood"), "not a network error: {err}");
}

crate::on_both_backends!(
    lists_the_courses_active_student_teachers,
    a_course_without_active_student_teachers_says_so,
    a_student_not_enrolled_is_told_to_enroll,
    a_student_teacher_link_preselects_them,
    choosing_a_student_teacher_moves_to_the_date_step,
    only_logged_in_students_may_load_the_page,
);
