use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use session_booking::dto::StId;
use session_booking::{
    dto::availability::MonthAvailability,
    entities::{session, user},
    error::AppError,
    server::availability::month_availability,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use crate::harness::{app_error, insert_session, ok_json, Backend, TestApp};

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn maya(app: &TestApp) -> user::Model {
    user::Entity::find_by_id(app.user_id("maya@student.test").await).one(app.db()).await.unwrap().unwrap()
}

/// The month (in New York) of Maya's seeded session with Tom.
async fn month_of_mayas_session(app: &TestApp) -> (String, session::Model) {
    let s = session::Entity::find()
        .filter(session::Column::StudentId.eq(app.user_id("maya@student.test").await))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let ny = s.start_at.with_timezone(&chrono_tz::America::New_York);
    (format!("{}-{:02}", ny.year(), ny.month()), s)
}

async fn a_tutors_month_follows_their_hours_and_sessions(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (month, toms_session) = month_of_mayas_session(&app).await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let now = Utc::now();
    let m = month_availability(
        app.db(),
        &app.state.settings.booking,
        &maya(&app).await,
        app.course_id("Algebra I").await,
        Some(tom),
        &month,
        now,
    )
    .await
    .unwrap();
    assert_eq!(m.timezone, "America/New_York");
    assert_eq!(m.session_minutes, 60);
    assert!(!m.slots.is_empty());
    let buffer = Duration::minutes(app.state.settings.booking.buffer_minutes);
    for slot in &m.slots {
        assert_eq!(slot.st_id, tom);
        let start = instant(&slot.start);
        let end = start + Duration::minutes(60);
        // Inside Tom's London hours: Tue/Thu 08:00–12:00, Sat 10:00–14:00.
        let (ls, le) = (start.with_timezone(&chrono_tz::Europe::London), end.with_timezone(&chrono_tz::Europe::London));
        let hours = match ls.weekday() {
            Weekday::Tue | Weekday::Thu => (8, 12),
            Weekday::Sat => (10, 14),
            other => panic!("slot on {other}: {slot:?}"),
        };
        assert!(ls.hour() >= hours.0 && (le.hour() < hours.1 || (le.hour() == hours.1 && le.minute() == 0)), "{slot:?}");
        // Clear of his session with Maya, buffer included.
        assert!(!(start < toms_session.end_at + buffer && toms_session.start_at < end + buffer), "{slot:?}");
        // Labelled in Maya's zone.
        let ny = start.with_timezone(&chrono_tz::America::New_York);
        assert_eq!(slot.local_date, ny.date_naive().to_string());
        assert_eq!(slot.start_label, ny.format("%-I:%M %p").to_string());
        assert!(start >= now + Duration::minutes(120), "minimum notice");
        assert!(slot.local_date.starts_with(&month));
    }
    let mut sorted = m.slots.clone();
    sorted.sort_by_key(|s| instant(&s.start));
    assert_eq!(sorted, m.slots);
    let bookable_days: std::collections::BTreeSet<_> = m.slots.iter().filter(|s| s.bookable).map(|s| s.local_date.clone()).collect();
    assert_eq!(m.days, bookable_days.into_iter().collect::<Vec<_>>());
}

async fn the_students_own_sessions_mark_slots_taken(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = maya(&app).await;
    let algebra = app.course_id("Algebra I").await;
    let priya = app.st_id("priya@tutor.test", "Algebra I").await;
    let now = Utc::now();
    let month = |at: DateTime<Utc>| at.with_timezone(&chrono_tz::America::New_York).format("%Y-%m").to_string();
    let before =
        month_availability(app.db(), &app.state.settings.booking, &maya, algebra, Some(priya), &month(now + Duration::days(8)), now)
            .await
            .unwrap();
    let target = before.slots.iter().find(|s| s.bookable).expect("Priya has a free slot").clone();
    // Maya books Spanish with Diego at that moment: another course, another tutor.
    insert_session(&app, "Conversational Spanish", "maya@student.test", "diego@tutor.test", instant(&target.start), 30).await;
    let after =
        month_availability(app.db(), &app.state.settings.booking, &maya, algebra, Some(priya), &month(now + Duration::days(8)), now)
            .await
            .unwrap();
    let same = after.slots.iter().find(|s| s.start == target.start).expect("still listed");
    assert!(!same.bookable, "shown as taken");
}

async fn a_tutors_own_lessons_as_a_student_block_their_slots(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = maya(&app).await;
    let algebra = app.course_id("Algebra I").await;
    let priya_st = app.st_id("priya@tutor.test", "Algebra I").await;
    let now = Utc::now();
    let month = (now + Duration::days(8)).with_timezone(&chrono_tz::America::New_York).format("%Y-%m").to_string();
    let load = || month_availability(app.db(), &app.state.settings.booking, &maya, algebra, Some(priya_st), &month, now);
    let before = load().await.unwrap();
    let target = instant(&before.slots.iter().find(|s| s.bookable).expect("Priya has a free slot").start);
    // Priya takes a Spanish lesson from Diego at that time.
    insert_session(&app, "Conversational Spanish", "priya@tutor.test", "diego@tutor.test", target, 30).await;
    let after = load().await.unwrap();
    assert!(!after.slots.iter().any(|s| instant(&s.start) == target), "Priya is busy then");
    assert!(after.slots.len() < before.slots.len());
}

async fn next_available_is_the_earliest_across_the_courses_tutors_with_one_query_per_table(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = maya(&app).await;
    let algebra = app.course_id("Algebra I").await;
    let now = Utc::now();
    let month = now.with_timezone(&chrono_tz::America::New_York).format("%Y-%m").to_string();
    let queries = Arc::new(AtomicUsize::new(0));
    let mut counted = app.db().clone();
    counted.set_metric_callback({
        let queries = queries.clone();
        move |_| {
            queries.fetch_add(1, Ordering::SeqCst);
        }
    });
    let all = month_availability(&counted, &app.state.settings.booking, &maya, algebra, None, &month, now).await.unwrap();
    let queries_for_all = queries.swap(0, Ordering::SeqCst);
    let mut firsts = Vec::new();
    for email in ["priya@tutor.test", "tom@tutor.test", "aarav@tutor.test", "sofia@tutor.test"] {
        let st = app.st_id(email, "Algebra I").await;
        let one = month_availability(&counted, &app.state.settings.booking, &maya, algebra, Some(st), &month, now).await.unwrap();
        assert_eq!(queries.swap(0, Ordering::SeqCst), queries_for_all, "query count does not grow with tutors");
        firsts.extend(one.next_available);
    }
    let earliest = firsts.into_iter().min_by_key(|s| instant(&s.start)).expect("someone is free");
    assert_eq!(all.next_available, Some(earliest));
    let tutors: std::collections::BTreeSet<StId> = all.slots.iter().map(|s| s.st_id).collect();
    assert!(tutors.len() >= 3, "slots of several tutors: {tutors:?}");
}

async fn availability_is_for_enrolled_students_and_valid_months(backend: Backend) {
    let app = TestApp::new(backend).await;
    let algebra = app.course_id("Algebra I").await.to_string();
    let res = app.call("load_availability", &[("course_id", &algebra), ("month", "2026-12")], None).await;
    assert_eq!(app_error(res).await, AppError::NotAuthenticated);
    let lena = app.login("lena@student.test").await;
    let res = app.call("load_availability", &[("course_id", &algebra), ("month", "2026-12")], Some(&lena)).await;
    assert_eq!(app_error(res).await, AppError::NotEnrolled);
    let maya = app.login("maya@student.test").await;
    let res = app.call("load_availability", &[("course_id", &algebra), ("month", "December")], Some(&maya)).await;
    assert!(matches!(app_error(res).await, AppError::InvalidInput { field, .. } if field == "month"));
    let diego = app.st_id("diego@tutor.test", "Conversational Spanish").await.to_string();
    let res = app.call("load_availability", &[("course_id", &algebra), ("st_id", &diego), ("month", "2026-12")], Some(&maya)).await;
    assert_eq!(app_error(res).await, AppError::NotFound(session_booking::error::Subject::StudentTeacher));
    let month = Utc::now().with_timezone(&chrono_tz::America::New_York).format("%Y-%m").to_string();
    let m: MonthAvailability =
        ok_json(app.call("load_availability", &[("course_id", &algebra), ("month", &month)], Some(&maya)).await).await;
    assert!(m.next_available.is_some());
}

crate::on_both_backends!(
    a_tutors_month_follows_their_hours_and_sessions,
    the_students_own_sessions_mark_slots_taken,
    a_tutors_own_lessons_as_a_student_block_their_slots,
    next_available_is_the_earliest_across_the_courses_tutors_with_one_query_per_table,
    availability_is_for_enrolled_students_and_valid_months,
);
