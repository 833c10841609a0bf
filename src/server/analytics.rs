//! Product analytics: one row per event of the booking page's spec.
//!
//! Recording is best-effort and off the request path. Pages and actions hand events to a
//! bounded queue and one task writes them in batches, so a page view costs no write of its own
//! (SQLite has one writer) and a failed or slow write never fails or slows a page. A full queue
//! drops the event with a warning rather than growing without bound.
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use crate::{dto::StId, entities::analytics_event};

/// Events waiting to be written; past this, new events are dropped.
const QUEUE: usize = 10_000;
/// Rows per insert: large enough to amortize a write, small enough for any engine's limits.
const BATCH: usize = 500;

/// The events of the booking page's spec; the enum keeps their names and data in one place.
#[derive(Debug, Clone)]
pub enum Event {
    PageView {
        course_id: i32,
        st_preselected: bool,
    },
    StSelected {
        st_id: StId,
    },
    DateSelected {
        date: String,
    },
    TimeSelected {
        time: String,
        st_id: StId,
    },
    BookingAttempted {
        course_id: i32,
        st_id: StId,
        datetime: String,
    },
    BookingSuccess {
        session_id: i32,
    },
    BookingFailed {
        error_type: &'static str,
    },
    ScheduleLater {
        course_id: i32,
    },
    /// `by` is `student` or `student_teacher`.
    SessionCancelled {
        session_id: i32,
        by: &'static str,
        late: bool,
    },
    SessionRescheduled {
        session_id: i32,
    },
    PaymentStarted {
        session_id: i32,
        amount: i32,
    },
    PaymentSucceeded {
        session_id: i32,
    },
    PaymentFailed {
        session_id: i32,
        reason: String,
    },
    RefundIssued {
        session_id: i32,
        amount: i64,
    },
}

impl Event {
    fn name_and_data(&self) -> (&'static str, Value) {
        match self {
            Event::PageView { course_id, st_preselected } => {
                ("page_view", serde_json::json!({ "course_id": course_id, "st_preselected": st_preselected }))
            }
            Event::StSelected { st_id } => ("st_selected", serde_json::json!({ "st_id": st_id })),
            Event::DateSelected { date } => ("date_selected", serde_json::json!({ "date": date })),
            Event::TimeSelected { time, st_id } => ("time_selected", serde_json::json!({ "time": time, "st_id": st_id })),
            Event::BookingAttempted { course_id, st_id, datetime } => {
                ("booking_attempted", serde_json::json!({ "course_id": course_id, "st_id": st_id, "datetime": datetime }))
            }
            Event::BookingSuccess { session_id } => ("booking_success", serde_json::json!({ "session_id": session_id })),
            Event::BookingFailed { error_type } => ("booking_failed", serde_json::json!({ "error_type": error_type })),
            Event::ScheduleLater { course_id } => ("schedule_later", serde_json::json!({ "course_id": course_id })),
            Event::SessionCancelled { session_id, by, late } => {
                ("session_cancelled", serde_json::json!({ "session_id": session_id, "by": by, "late": late }))
            }
            Event::SessionRescheduled { session_id } => ("session_rescheduled", serde_json::json!({ "session_id": session_id })),
            Event::PaymentStarted { session_id, amount } => {
                ("payment_started", serde_json::json!({ "session_id": session_id, "amount": amount }))
            }
            Event::PaymentSucceeded { session_id } => ("payment_succeeded", serde_json::json!({ "session_id": session_id })),
            Event::PaymentFailed { session_id, reason } => {
                ("payment_failed", serde_json::json!({ "session_id": session_id, "reason": reason }))
            }
            Event::RefundIssued { session_id, amount } => {
                ("refund_issued", serde_json::json!({ "session_id": session_id, "amount": amount }))
            }
        }
    }
}

enum Message {
    Record(analytics_event::ActiveModel),
    /// Answered once everything queued before it is written.
    Flush(oneshot::Sender<()>),
}

/// The handle pages and actions record through; cheap to clone.
#[derive(Clone)]
pub struct Analytics {
    queue: mpsc::Sender<Message>,
}

impl Analytics {
    /// Starts the writer task on the current runtime. It ends when the last handle is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, received) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(db, received));
        Self { queue }
    }

    pub fn record(&self, user_id: Option<i32>, event: Event, at: DateTime<Utc>) {
        let (name, data) = event.name_and_data();
        let row = analytics_event::ActiveModel {
            name: Set(name.to_owned()),
            user_id: Set(user_id),
            data: Set(data.to_string()),
            created_at: Set(at),
            ..Default::default()
        };
        if self.queue.try_send(Message::Record(row)).is_err() {
            tracing::warn!(event = name, "analytics queue full or closed; event dropped");
        }
    }

    /// Waits until every event recorded before this call has been written (or dropped).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn write_batches(db: DatabaseConnection, mut received: mpsc::Receiver<Message>) {
    let mut rows = Vec::with_capacity(BATCH);
    let mut flushes = Vec::new();
    while let Some(first) = received.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Record(row) => rows.push(row),
                Message::Flush(done) => flushes.push(done),
            }
            if rows.len() < BATCH {
                next = received.try_recv().ok();
            }
        }
        if !rows.is_empty() {
            let count = rows.len();
            if let Err(error) = analytics_event::Entity::insert_many(rows.drain(..)).exec(&db).await {
                tracing::warn!(%error, count, "analytics events not written");
            }
        }
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
}
