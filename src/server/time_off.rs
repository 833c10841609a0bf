//! A Student-Teacher's stored time off as the slot engine takes it (docs/slot-rules.md rule 2):
//! the whole dates as time off, the hours a date override keeps as extra hours.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    entities::time_off,
    error::AppError,
    slots::{DateOverride, Interval},
};

/// A stored entry as the slot engine's date override; `None` for a row that does not parse.
pub fn date_override(row: &time_off::Model) -> Option<DateOverride> {
    let keep = match (&row.start_time, &row.end_time) {
        (Some(start), Some(end)) => Some((start.parse().ok()?, end.parse().ok()?)),
        _ => None,
    };
    Some(DateOverride { first: row.first_date, last: row.last_date, keep, timezone: row.timezone.parse().ok()? })
}

/// A Student-Teacher's time off overlapping the dates `from..=to` (in any timezone: a day
/// either side is read too), as the engine's time off spans and extra hours.
pub async fn time_off_spans(
    db: &impl ConnectionTrait,
    teacher_ids: Vec<i32>,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<(i32, Interval, Option<Interval>)>, AppError> {
    let rows = time_off::Entity::find()
        .filter(time_off::Column::TeacherId.is_in(teacher_ids))
        .filter(time_off::Column::LastDate.gte(from.pred_opt().unwrap_or(from)))
        .filter(time_off::Column::FirstDate.lte(to.succ_opt().unwrap_or(to)))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| match date_override(row).and_then(|o| o.spans()) {
            Some(spans) => Some((row.teacher_id, spans.time_off, spans.extra)),
            None => {
                tracing::warn!(time_off_id = row.id, "skipping a time off row that does not parse");
                None
            }
        })
        .collect())
}
