//! Product analytics: one row per event, written beside the action it describes.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;

use crate::entities::analytics_event;

/// The events of the booking page's spec; the enum keeps their names and data in one place.
#[derive(Debug, Clone)]
pub enum Event {
    PageView { course_id: i32, st_preselected: bool },
    StSelected { st_id: i32 },
    ScheduleLater { course_id: i32 },
}

impl Event {
    fn name_and_data(&self) -> (&'static str, Value) {
        match self {
            Event::PageView { course_id, st_preselected } => {
                ("page_view", serde_json::json!({ "course_id": course_id, "st_preselected": st_preselected }))
            }
            Event::StSelected { st_id } => ("st_selected", serde_json::json!({ "st_id": st_id })),
            Event::ScheduleLater { course_id } => ("schedule_later", serde_json::json!({ "course_id": course_id })),
        }
    }
}

pub async fn record(db: &impl ConnectionTrait, user_id: Option<i32>, event: Event) -> Result<(), DbErr> {
    let (name, data) = event.name_and_data();
    analytics_event::ActiveModel {
        name: Set(name.to_owned()),
        user_id: Set(user_id),
        data: Set(data.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
