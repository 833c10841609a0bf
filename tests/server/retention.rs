//! Sent messages and analytics events are kept for `retention_days`, then deleted.
use chrono::{Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use session_booking::{
    dto::wizard::Booked,
    entities::{analytics_event, outbox},
    server::retention::{prune, Pruned},
};

use crate::harness::{book_session, first_free_start, ok_json, Backend, TestApp};

async fn old_sent_messages_and_events_are_deleted_and_nothing_else(backend: Backend) {
    let app = TestApp::new(backend).await;
    let maya = app.login("maya@student.test").await;
    let tom = app.st_id("tom@tutor.test", "Algebra I").await;
    let start = first_free_start(&app, &maya, tom).await;
    let booked: Booked = ok_json(book_session(&app, &maya, tom, &start, true, "retention-1").await).await;
    app.state.analytics.flush().await;
    // Let the mail worker send what is due now (into .eml files), so it changes no row below.
    let sent = || outbox::Entity::find().filter(outbox::Column::SentAt.is_not_null()).count(app.db());
    for _ in 0..100 {
        if sent().await.unwrap() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent().await.unwrap() >= 2, "both confirmations were sent");
    let now = Utc::now();
    let keep = app.state.settings.server.retention();
    let rows = outbox::Entity::find().filter(outbox::Column::SessionId.eq(booked.session_id)).all(app.db()).await.unwrap();
    assert!(rows.len() >= 3, "two confirmations and a reminder");
    // The confirmations (the first rows): one sent long ago, one yesterday; the reminders are
    // not sent yet (or only now), however old the rows.
    for (row, sent_at) in [(&rows[0], now - keep - Duration::days(1)), (&rows[1], now - Duration::days(1))] {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::SentAt, Expr::value(sent_at))
            .filter(outbox::Column::Id.eq(row.id))
            .exec(app.db())
            .await
            .unwrap();
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::CreatedAt, Expr::value(now - keep - Duration::days(30)))
        .exec(app.db())
        .await
        .unwrap();
    let events = analytics_event::Entity::find().count(app.db()).await.unwrap();
    let old = analytics_event::Entity::find().one(app.db()).await.unwrap().unwrap();
    analytics_event::Entity::update_many()
        .col_expr(analytics_event::Column::CreatedAt, Expr::value(now - keep - Duration::days(1)))
        .filter(analytics_event::Column::Id.eq(old.id))
        .exec(app.db())
        .await
        .unwrap();

    assert_eq!(prune(app.db(), keep, now).await.unwrap(), Pruned { messages: 1, events: 1 });
    let left = outbox::Entity::find().filter(outbox::Column::SessionId.eq(booked.session_id)).count(app.db()).await.unwrap();
    assert_eq!(left as usize, rows.len() - 1, "recent and unsent messages stay");
    assert_eq!(analytics_event::Entity::find().count(app.db()).await.unwrap(), events - 1);
    assert_eq!(prune(app.db(), keep, now).await.unwrap(), Pruned { messages: 0, events: 0 }, "nothing twice");
}

crate::on_both_backends!(old_sent_messages_and_events_are_deleted_and_nothing_else);
