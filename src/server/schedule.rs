//! A Student-Teacher's own schedule (docs/booking-contract.md §10): the weekly hours and the
//! time off that decide which times students see (docs/slot-rules.md rules 1 and 2). Both belong
//! to the person, so they serve every course they teach; `availability` reads them on every
//! request, so a change shows to students at once, and pages showing them hear of it
//! (`server::live`).
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{
    db,
    input::parse_date,
    live::Change,
    state::AppState,
    teaching::{present, scheduled},
    timezones::{parse_timezone, timezone_choices, timezone_label},
};
use crate::{
    dto::{
        live::ChangeKind,
        schedule::{DayHours, Schedule, TimeOffView},
    },
    entities::{availability, time_off, user},
    error::{AppError, HoursProblem, Subject, WEEKDAYS},
    slots::{DateOverride, LocalTime},
};

/// The longest time off one entry may take, in days.
const LONGEST_TIME_OFF_DAYS: i64 = 366;

/// The timezone of a Student-Teacher's weekly hours, which their time off's dates are read in
/// too: the one their hours were saved in, or their own before they have saved any.
pub async fn schedule_timezone(db: &impl ConnectionTrait, teacher: &user::Model) -> Result<Tz, AppError> {
    let first = hours_rows(teacher).one(db).await?;
    Ok(timezone_of(first.as_ref(), teacher))
}

/// The Student-Teacher's weekly hours rows, first saved first.
fn hours_rows(teacher: &user::Model) -> sea_orm::Select<availability::Entity> {
    availability::Entity::find().filter(availability::Column::TeacherId.eq(teacher.id)).order_by_asc(availability::Column::Id)
}

/// The schedule's timezone given its first hours row, if any.
fn timezone_of(first: Option<&availability::Model>, teacher: &user::Model) -> Tz {
    parse_timezone(first.map_or(&teacher.timezone, |row| &row.timezone))
}

/// The schedule page: hours by weekday, time off from today on, and the upcoming sessions that
/// fall in it.
pub async fn schedule(db: &impl ConnectionTrait, teacher: &user::Model, now: DateTime<Utc>) -> Result<Schedule, AppError> {
    let mut rows = hours_rows(teacher).all(db).await?;
    let zone = timezone_of(rows.first(), teacher);
    let today = now.with_timezone(&zone).date_naive();
    rows.sort_by(|a, b| (a.day_of_week, &a.start_time).cmp(&(b.day_of_week, &b.start_time)));
    let days = (1..=7u8)
        .map(|day| {
            let ranges: Vec<String> =
                rows.iter().filter(|r| r.day_of_week == i16::from(day)).map(|r| format!("{}–{}", r.start_time, r.end_time)).collect();
            DayHours { day, name: WEEKDAYS[usize::from(day - 1)].to_owned(), ranges: ranges.join(", ") }
        })
        .collect();
    let entries = time_off::Entity::find()
        .filter(time_off::Column::TeacherId.eq(teacher.id))
        .filter(time_off::Column::LastDate.gte(today))
        .order_by_asc(time_off::Column::FirstDate)
        .order_by_asc(time_off::Column::Id)
        .all(db)
        .await?;
    let upcoming = present(db, teacher, scheduled(db, teacher, now).await?, now).await?;
    Ok(Schedule {
        timezone: zone.name().to_owned(),
        timezone_label: timezone_label(zone.name()),
        choices: timezone_choices(zone.name()),
        days,
        time_off: entries.iter().map(time_off_view).collect(),
        clashes: upcoming.into_iter().filter(|s| s.in_time_off).collect(),
        today: today.to_string(),
    })
}

/// Replaces all of a Student-Teacher's weekly hours with `days` (Monday first, each as the form
/// writes it), in `timezone`, in one transaction: students never see half of the old set and
/// half of the new. Refuses the first unreadable, empty or overlapping range, naming it.
pub async fn save_weekly_hours(state: &AppState, teacher: &user::Model, timezone: &str, days: [&str; 7]) -> Result<(), AppError> {
    let zone: Tz = timezone.parse().map_err(|_| AppError::invalid("timezone", "Choose a timezone from the list."))?;
    let mut ranges = Vec::new();
    for (day, text) in (1..=7u8).zip(days) {
        ranges.extend(parse_day(day, text).map_err(AppError::Hours)?.into_iter().map(|range| (day, range)));
    }
    let txn = db::begin_write(&state.db).await?;
    availability::Entity::delete_many().filter(availability::Column::TeacherId.eq(teacher.id)).exec(&txn).await?;
    for (day, (start, end)) in ranges {
        availability::ActiveModel {
            teacher_id: Set(teacher.id),
            day_of_week: Set(i16::from(day)),
            start_time: Set(start.to_string()),
            end_time: Set(end.to_string()),
            timezone: Set(zone.name().to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    hours_changed(state, teacher).await;
    Ok(())
}

async fn hours_changed(state: &AppState, teacher: &user::Model) {
    state.live.publish(&state.db, Change { kind: ChangeKind::Hours, teacher_id: teacher.id, student_id: None }).await;
}

/// One weekday's ranges as a person writes them: "09:00–12:00, 14:00-17:00" (commas or
/// semicolons between ranges; a dash, an en dash or "to" within one; "9:00" for "09:00"), in
/// order of their starts. Empty text is a day without hours. Ranges may touch but not overlap.
pub fn parse_day(day: u8, text: &str) -> Result<Vec<(LocalTime, LocalTime)>, HoursProblem> {
    let mut ranges = Vec::new();
    for written in text.split([',', ';', '\n']).map(str::trim).filter(|r| !r.is_empty()) {
        let (start, end) = written
            .split_once(['–', '—', '-'])
            .or_else(|| written.split_once(" to "))
            .and_then(|(start, end)| Some((clock_time(start)?, clock_time(end)?)))
            .ok_or(HoursProblem::Unreadable { day })?;
        if end <= start {
            return Err(HoursProblem::Empty { day, range: (start.minutes(), end.minutes()) });
        }
        ranges.push((start, end));
    }
    ranges.sort();
    if let Some(pair) = ranges.windows(2).find(|pair| pair[1].0 < pair[0].1) {
        let minutes = |(start, end): (LocalTime, LocalTime)| (start.minutes(), end.minutes());
        return Err(HoursProblem::Overlap { day, first: minutes(pair[0]), second: minutes(pair[1]) });
    }
    Ok(ranges)
}

/// `HH:MM` or `H:MM`, from `00:00` to `24:00`.
fn clock_time(text: &str) -> Option<LocalTime> {
    let text = text.trim();
    let padded = if text.find(':') == Some(1) { format!("0{text}") } else { text.to_owned() };
    padded.parse().ok()
}

/// What `add_time_off` was asked, as the form or an API call sends it.
#[derive(Debug, Clone, Default)]
pub struct TimeOffRequest {
    pub from: String,
    /// Empty for the same date as `from`.
    pub to: String,
    /// Both empty for whole dates off.
    pub start: String,
    pub end: String,
}

/// Adds time off in the Student-Teacher's schedule timezone and answers its id. Sessions
/// already booked inside it stay booked: the schedule and `/teach` list them to cancel.
pub async fn add_time_off(state: &AppState, teacher: &user::Model, request: &TimeOffRequest, now: DateTime<Utc>) -> Result<i32, AppError> {
    let zone = schedule_timezone(&state.db, teacher).await?;
    let entry = parse_time_off(request, zone, now.with_timezone(&zone).date_naive())?;
    let (start, end) = entry.keep.unzip();
    let row = time_off::ActiveModel {
        teacher_id: Set(teacher.id),
        first_date: Set(entry.first),
        last_date: Set(entry.last),
        start_time: Set(start.map(|t| t.to_string())),
        end_time: Set(end.map(|t| t.to_string())),
        timezone: Set(zone.name().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    hours_changed(state, teacher).await;
    Ok(row.id)
}

/// Checks a request for time off starting no earlier than `today`, field by field.
fn parse_time_off(request: &TimeOffRequest, timezone: Tz, today: NaiveDate) -> Result<DateOverride, AppError> {
    let first = parse_date("from", request.from.trim())?;
    let last = match request.to.trim() {
        "" => first,
        to => parse_date("to", to)?,
    };
    if first < today {
        return Err(AppError::invalid("from", "Time off cannot start in the past."));
    }
    if last < first {
        return Err(AppError::invalid("to", "The last day off cannot be before the first."));
    }
    if (last - first).num_days() >= LONGEST_TIME_OFF_DAYS {
        return Err(AppError::invalid("to", "One entry of time off can last at most a year."));
    }
    let time = |field: &str, text: &str| clock_time(text).ok_or_else(|| AppError::invalid(field, "Expected a time such as 09:00."));
    let keep = match (request.start.trim(), request.end.trim()) {
        ("", "") => None,
        ("", _) | (_, "") => {
            return Err(AppError::invalid("end", "Give both times to keep some hours, or neither to take the whole day off."))
        }
        _ if first != last => {
            return Err(AppError::invalid("end", "Hours kept on a day off are for one date: make the first and last dates the same."))
        }
        (start, end) => {
            let (start, end) = (time("start", start)?, time("end", end)?);
            if end <= start {
                return Err(AppError::invalid("end", "The end time must be after the start time."));
            }
            Some((start, end))
        }
    };
    Ok(DateOverride { first, last, keep, timezone })
}

/// Removes one of the Student-Teacher's own entries; anyone else's is as unknown as none.
pub async fn remove_time_off(state: &AppState, teacher: &user::Model, id: i32) -> Result<(), AppError> {
    let removed = time_off::Entity::delete_many()
        .filter(time_off::Column::Id.eq(id))
        .filter(time_off::Column::TeacherId.eq(teacher.id))
        .exec(&state.db)
        .await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound(Subject::TimeOff));
    }
    hours_changed(state, teacher).await;
    Ok(())
}

fn time_off_view(row: &time_off::Model) -> TimeOffView {
    let (first, last) = (row.first_date, row.last_date);
    let dates_label = if first == last {
        first.format("%A, %B %-d, %Y").to_string()
    } else if first.year() == last.year() {
        format!("{} – {}", first.format("%A, %B %-d"), last.format("%A, %B %-d, %Y"))
    } else {
        format!("{} – {}", first.format("%A, %B %-d, %Y"), last.format("%A, %B %-d, %Y"))
    };
    let hours_label = row.start_time.as_ref().zip(row.end_time.as_ref()).map(|(start, end)| format!("Only {start}–{end}"));
    TimeOffView { id: row.id, dates_label, hours_label }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalTime {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_is_read_as_people_write_it() {
        assert_eq!(parse_day(1, ""), Ok(vec![]));
        assert_eq!(parse_day(1, " 14:00-17:00, 9:00 – 12:00 "), Ok(vec![(t("09:00"), t("12:00")), (t("14:00"), t("17:00"))]));
        assert_eq!(parse_day(2, "18:00 to 24:00; 12:00—18:00"), Ok(vec![(t("12:00"), t("18:00")), (t("18:00"), t("24:00"))]));
    }

    #[test]
    fn a_day_that_cannot_be_saved_names_its_range() {
        assert_eq!(parse_day(3, "9 to 5"), Err(HoursProblem::Unreadable { day: 3 }));
        assert_eq!(parse_day(3, "09:00-12:00, 25:00-26:00"), Err(HoursProblem::Unreadable { day: 3 }));
        assert_eq!(parse_day(4, "12:00-09:00"), Err(HoursProblem::Empty { day: 4, range: (720, 540) }));
        assert_eq!(parse_day(5, "10:00-10:00"), Err(HoursProblem::Empty { day: 5, range: (600, 600) }));
        assert_eq!(
            parse_day(1, "13:00-17:00, 09:00-12:00, 11:00-13:00"),
            Err(HoursProblem::Overlap { day: 1, first: (540, 720), second: (660, 780) })
        );
    }

    fn request(from: &str, to: &str, start: &str, end: &str) -> TimeOffRequest {
        TimeOffRequest { from: from.into(), to: to.into(), start: start.into(), end: end.into() }
    }

    fn refusal(r: &TimeOffRequest) -> (String, String) {
        match parse_time_off(r, chrono_tz::Asia::Kolkata, "2026-12-02".parse().unwrap()) {
            Err(AppError::InvalidInput { field, message }) => (field, message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn time_off_is_checked_field_by_field() {
        let zone = chrono_tz::Asia::Kolkata;
        let today: NaiveDate = "2026-12-02".parse().unwrap();
        let whole = parse_time_off(&request("2026-12-23", "2026-12-27", "", ""), zone, today).unwrap();
        assert_eq!((whole.first.to_string(), whole.last.to_string(), whole.keep), ("2026-12-23".into(), "2026-12-27".into(), None));
        let kept = parse_time_off(&request("2026-12-24", "", "10:00", "12:00"), zone, today).unwrap();
        assert_eq!((kept.last, kept.keep), (kept.first, Some((t("10:00"), t("12:00")))));
        assert_eq!(refusal(&request("+262142-12-31", "", "", "")).0, "from");
        assert_eq!(refusal(&request("2026-12-24", "2026-02-30", "", "")).0, "to");
        assert_eq!(refusal(&request("2026-12-01", "", "", "")).1, "Time off cannot start in the past.");
        assert_eq!(refusal(&request("2026-12-24", "2026-12-23", "", "")).1, "The last day off cannot be before the first.");
        assert_eq!(refusal(&request("2026-12-24", "2027-12-25", "", "")).0, "to");
        assert_eq!(refusal(&request("2026-12-24", "", "10:00", "")).0, "end");
        assert_eq!(refusal(&request("2026-12-24", "2026-12-25", "10:00", "12:00")).0, "end");
        assert_eq!(refusal(&request("2026-12-24", "", "noon", "12:00")).0, "start");
        assert_eq!(refusal(&request("2026-12-24", "", "12:00", "10:00")).1, "The end time must be after the start time.");
    }
}
