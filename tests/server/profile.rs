use session_booking::{
    dto::courses::{TeacherProfile, WeeklyHours},
    error::AppError,
};

use crate::harness::{app_error, body_text, ok_json, Backend, TestApp};

async fn a_profile_shows_weekly_hours_in_the_teachers_own_zone(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("kenji@student.test").await;
    let sofia = app.st_id("sofia@tutor.test", "Algebra I").await;
    let p: TeacherProfile = ok_json(app.call("load_teacher_profile", &[("st_id", &sofia.to_string())], Some(&cookie)).await).await;
    assert_eq!(p.card.name, "Sofia Alves");
    assert_eq!(p.card.timezone, "America/Sao_Paulo");
    assert_eq!(p.course.title, "Algebra I");
    assert!(p.is_active);
    let two_ranges = vec!["09:00 – 13:00".to_owned(), "18:00 – 20:00".to_owned()];
    assert_eq!(p.weekly_hours, ["Monday", "Wednesday", "Friday"].map(|day| WeeklyHours { day: day.into(), hours: two_ranges.clone() }));
    let html = body_text(app.get(&format!("/student-teachers/{sofia}"), Some(&cookie)).await).await;
    assert!(html.contains("Weekly availability") && html.contains(&format!("href=\"/book/{sofia}\"")));
}

async fn an_inactive_student_teacher_takes_no_bookings(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("kenji@student.test").await;
    let ana = app.st_id("ana@tutor.test", "Intro to Python").await;
    let p: TeacherProfile = ok_json(app.call("load_teacher_profile", &[("st_id", &ana.to_string())], Some(&cookie)).await).await;
    assert!(!p.is_active);
    let html = body_text(app.get(&format!("/student-teachers/{ana}"), Some(&cookie)).await).await;
    assert!(html.contains("Not taking bookings right now."));
    assert!(!html.contains(&format!("href=\"/book/{ana}\"")));
    let res = app.call("load_teacher_profile", &[("st_id", "424242")], Some(&cookie)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::StudentTeacher));
}

crate::on_both_backends!(a_profile_shows_weekly_hours_in_the_teachers_own_zone, an_inactive_student_teacher_takes_no_bookings);
