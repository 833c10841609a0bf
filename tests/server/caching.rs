//! What the booking pages keep between requests (the catalog, the calendar cache) and what a
//! booking reads before its write transaction: each is forgotten, or checked again, once a
//! person's times change.
use chrono::{DateTime, Duration, Utc};
use http::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use session_booking::{
    dto::availability::SlotView,
    entities::{course, hold, session, user},
    error::AppError,
    server::{
        availability::{Checked, Proposal},
        db::begin_write,
    },
};

use crate::harness::{book_session, first_free_start, insert_session, listed_time, ok_json, Backend, TestApp};

const NEW_YORK: chrono_tz::Tz = chrono_tz::America::New_York;

async fn next_times(app: &TestApp, cookie: &str, course_id: i32) -> Vec<SlotView> {
    ok_json(app.call("load_next_times", &[("course_id", &course_id.to_string())], Some(cookie)).await).await
}

async fn step_one_is_served_from_the_caches_until_a_booking_changes_its_times(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    let step_one = format!("/courses/{algebra}/book");
    assert_eq!(app.get(&step_one, Some(&maya)).await.status(), StatusCode::OK);
    // Within seconds of the first: the session lookup, and nothing else.
    let (res, queries) = app.counting_queries(app.get(&step_one, Some(&maya))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(queries.len(), 1, "{queries:#?}");

    let first = next_times(&app, &maya, algebra).await.remove(0);
    assert!(listed_time(&app, &maya, NEW_YORK, first.st_id, &first.start).await.is_some_and(|t| t.bookable));
    assert_eq!(book_session(&app, &maya, first.st_id, &first.start, false, "cache-key-1").await.status(), StatusCode::OK);
    // At once, not when the cache would have forgotten: Maya is busy then, with every tutor.
    let (after, queries) = app.counting_queries(next_times(&app, &maya, algebra)).await;
    assert!(queries.len() > 1, "computed again: {queries:#?}");
    assert!(after.iter().all(|t| t.start != first.start), "{after:#?}");
    assert!(!listed_time(&app, &maya, NEW_YORK, first.st_id, &first.start).await.is_some_and(|t| t.bookable));
}

/// Maya about to book Tom's first free time in Algebra I.
struct Booking {
    maya: user::Model,
    algebra: course::Model,
    proposal: Proposal,
    now: DateTime<Utc>,
}

impl Booking {
    async fn first_free(app: &TestApp) -> Self {
        let cookie = app.login("maya@student.test").await;
        let tom = app.st_id("tom@tutor.test", "Algebra I").await;
        let start: DateTime<Utc> = first_free_start(app, &cookie, tom).await.parse().unwrap();
        let maya = user::Entity::find_by_id(app.user_id("maya@student.test").await).one(app.db()).await.unwrap().unwrap();
        let algebra = course::Entity::find_by_id(app.course_id("Algebra I").await).one(app.db()).await.unwrap().unwrap();
        Booking { maya, algebra, proposal: Proposal { st_id: tom, start, moving: None }, now: Utc::now() }
    }
}

/// A booking checks its slot before its write transaction; in it, `Checked::recheck` must see
/// every session and hold committed meanwhile that reaches the slot, and nothing further.
async fn a_booking_rechecks_what_committed_after_its_first_check(backend: Backend) {
    let app = TestApp::new(backend).await;
    let Booking { maya, algebra, proposal, now } = Booking::first_free(&app).await;
    let start = proposal.start;
    let checked = || Checked::load(app.db(), &app.state.settings.booking, &maya, &algebra, &proposal, now);
    let recheck = |checked: Checked| async {
        let txn = begin_write(app.db()).await.unwrap();
        let verdict = checked.recheck(&txn, now).await;
        txn.rollback().await.unwrap();
        verdict
    };
    let db = app.db();
    let remove = |id: i32| async move { session::Entity::delete_by_id(id).exec(db).await.unwrap() };
    let buffer = Duration::minutes(app.state.settings.booking.buffer_minutes);

    let first = checked().await.unwrap();
    let slot = first.slot;
    assert_eq!(recheck(first).await, Ok(slot), "nothing changed");

    // Maya booked another tutor at an overlapping time meanwhile.
    let first = checked().await.unwrap();
    let hers = insert_session(&app, "Algebra I", "maya@student.test", "priya@tutor.test", start + Duration::minutes(30), 60).await;
    assert_eq!(recheck(first).await, Err(AppError::StudentConflict));
    remove(hers).await;

    // Kenji's session with Tom ends just as the buffer allows, then a minute too late.
    let first = checked().await.unwrap();
    let clear = insert_session(&app, "Algebra I", "kenji@student.test", "tom@tutor.test", start - buffer - Duration::minutes(60), 60).await;
    assert_eq!(recheck(first).await, Ok(slot), "outside the buffer");
    remove(clear).await;
    let first = checked().await.unwrap();
    insert_session(&app, "Algebra I", "kenji@student.test", "tom@tutor.test", start - buffer - Duration::minutes(59), 60).await;
    assert_eq!(recheck(first).await, Err(AppError::SlotUnavailable), "inside the buffer");
}

/// The same for a hold another student placed meanwhile.
async fn a_booking_rechecks_holds_placed_after_its_first_check(backend: Backend) {
    let app = TestApp::new(backend).await;
    let Booking { maya, algebra, proposal, now } = Booking::first_free(&app).await;
    let start = proposal.start;
    let first = Checked::load(app.db(), &app.state.settings.booking, &maya, &algebra, &proposal, now).await.unwrap();
    hold::ActiveModel {
        student_id: Set(app.user_id("kenji@student.test").await),
        teacher_id: Set(app.user_id("tom@tutor.test").await),
        start_at: Set(start),
        end_at: Set(start + Duration::minutes(60)),
        expires_at: Set(now + Duration::minutes(5)),
    }
    .insert(app.db())
    .await
    .unwrap();
    let txn = begin_write(app.db()).await.unwrap();
    assert_eq!(first.recheck(&txn, now).await, Err(AppError::SlotUnavailable));
}

crate::on_both_backends!(
    step_one_is_served_from_the_caches_until_a_booking_changes_its_times,
    a_booking_rechecks_what_committed_after_its_first_check,
    a_booking_rechecks_holds_placed_after_its_first_check,
);
