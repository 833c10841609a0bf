//! What the booking wizard's steps show, from the database and the slot engine, for one
//! student and one Student-Teacher. Each function is given `now`.
use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use super::{
    availability::{check_start, month_range, parse_date, parse_start, slot_view, CourseCalendars},
    calendar_file::CalendarEntry,
    catalog::Catalog,
    config::BookingDefaults,
    views,
};
use crate::{
    api::{
        booking::BookingPage,
        wizard::{BookedView, ConfirmView, DayTimes, MonthDays, SessionSummary},
        TeacherCard,
    },
    entities::{course, session, student_teacher, user},
    error::AppError,
    slots::SlotResult,
};

/// The booking page for a course (`/courses/{course_id}/book`) or for one Student-Teacher
/// (`/book/{st_id}`): the course, whether the student may book it, and with whom.
pub async fn booking_page(
    db: &DatabaseConnection,
    catalog: &Catalog,
    student: &user::Model,
    course_id: Option<i32>,
    st_id: Option<i32>,
) -> Result<BookingPage, AppError> {
    let not_found = || AppError::NotFound("Student-Teacher".into());
    let preselected_row = match st_id {
        Some(id) => Some(student_teacher::Entity::find_by_id(id).one(db).await?.ok_or_else(not_found)?),
        None => None,
    };
    let course_id = match (course_id, &preselected_row) {
        (Some(course_id), Some(st)) if st.course_id != course_id => return Err(not_found()),
        (Some(course_id), _) => course_id,
        (None, Some(st)) => st.course_id,
        (None, None) => return Err(AppError::invalid("course_id", "Choose a course to book.")),
    };
    let entry = catalog.course(db, course_id).await?;
    let enrolled = views::is_enrolled(db, student.id, course_id).await?;
    let teachers = if enrolled { entry.teachers.clone() } else { Vec::new() };
    // A pre-selected Student-Teacher who is no longer active is shown as unavailable, not booked.
    let preselected = preselected_row.and_then(|st| teachers.iter().find(|t| t.st_id == st.id).cloned());
    Ok(BookingPage {
        course: views::course_summary(&entry.course),
        enrolled,
        teachers,
        preselected,
        student_timezone: student.timezone.clone(),
    })
}

/// A Student-Teacher the student may book: active, in a course the student is enrolled in.
pub struct Bookable {
    pub st: student_teacher::Model,
    pub teacher: user::Model,
    pub course: course::Model,
}

impl Bookable {
    pub fn card(&self) -> TeacherCard {
        views::teacher_card(&self.st, &self.teacher)
    }
}

pub async fn bookable(db: &impl ConnectionTrait, student: &user::Model, st_id: i32) -> Result<Bookable, AppError> {
    let not_found = || AppError::NotFound("Student-Teacher".into());
    let st = student_teacher::Entity::find_by_id(st_id).one(db).await?.filter(|st| st.is_active).ok_or_else(not_found)?;
    if !views::is_enrolled(db, student.id, st.course_id).await? {
        return Err(AppError::NotEnrolled);
    }
    let teacher = user::Entity::find_by_id(st.user_id).one(db).await?.ok_or_else(not_found)?;
    let course = views::find_course(db, st.course_id).await?;
    Ok(Bookable { st, teacher, course })
}

/// The tutor's slots on the student's dates `from..=to`.
async fn slots(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    (from, to): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<SlotResult, AppError> {
    let loaded = CourseCalendars::load(db, defaults, student, &b.course, Some(b.st.id), Some((from, to)), now).await?;
    Ok(loaded.calendars.first().map(|cal| loaded.slots(cal, from, to)).unwrap_or_default())
}

/// Step 2: the month's days with a bookable time, and the first bookable time at all.
pub async fn month_days(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    month: Option<&str>,
    now: DateTime<Utc>,
) -> Result<MonthDays, AppError> {
    let viewer = views::parse_timezone(&student.timezone);
    let today = now.with_timezone(&viewer).date_naive();
    let last_day = (now + Duration::days(defaults.horizon_days)).with_timezone(&viewer).date_naive();
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    let month = month.unwrap_or(&this_month);
    let (first, last) = month_range(month)?;
    let upcoming = slots(db, defaults, student, b, (today, last_day), now).await?;
    let next_available = upcoming.slots.iter().find(|s| s.is_bookable()).map(|s| slot_view(b.st.id, s));
    let days = upcoming.days.iter().filter(|d| (first..=last).contains(d)).map(NaiveDate::to_string).collect();
    let month_of = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    Ok(MonthDays {
        month: month.to_owned(),
        today: today.to_string(),
        days,
        next_available,
        // Months before this one, or wholly past the horizon, hold nothing to book.
        prev_month: (first > today).then(|| month_of(first - Duration::days(1))),
        next_month: (last < last_day).then(|| month_of(last + Duration::days(1))),
        timezone_label: timezone_label(&student.timezone),
    })
}

/// Step 3: one date's times, including those that clash with the student's own sessions.
pub async fn day_times(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    date: &str,
    now: DateTime<Utc>,
) -> Result<DayTimes, AppError> {
    let date = parse_date(date)?;
    let found = slots(db, defaults, student, b, (date, date), now).await?;
    let mut clock_changes = Vec::new();
    for (whose, zone) in [("your", &student.timezone), (&*format!("{}'s", b.teacher.name), &b.teacher.timezone)] {
        if let Some(change) = clock_change(views::parse_timezone(zone), date) {
            let note = format!("Clocks change on this date in {whose} timezone ({change}).");
            if !clock_changes.contains(&note) {
                clock_changes.push(note);
            }
        }
    }
    Ok(DayTimes {
        date: date.to_string(),
        date_label: date.format("%A, %B %-d, %Y").to_string(),
        slots: found.slots.iter().map(|s| slot_view(b.st.id, s)).collect(),
        session_minutes: b.course.session_minutes,
        timezone_label: timezone_label(&student.timezone),
        clock_changes,
    })
}

/// "This Week": the next seven days that have bookable times, each with those times.
pub async fn week_times(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    now: DateTime<Utc>,
) -> Result<Vec<DayTimes>, AppError> {
    let today = now.with_timezone(&views::parse_timezone(&student.timezone)).date_naive();
    let found = slots(db, defaults, student, b, (today, today + Duration::days(6)), now).await?;
    let timezone_label = timezone_label(&student.timezone);
    Ok(found
        .days
        .iter()
        .map(|date| DayTimes {
            date: date.to_string(),
            date_label: date.format("%A, %B %-d").to_string(),
            slots: found.slots.iter().filter(|s| s.local_date == *date && s.is_bookable()).map(|s| slot_view(b.st.id, s)).collect(),
            session_minutes: b.course.session_minutes,
            timezone_label: timezone_label.clone(),
            clock_changes: Vec::new(),
        })
        .collect())
}

/// Step 4: the summary of a start time that is still bookable.
pub async fn confirm_view(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    start: &str,
    now: DateTime<Utc>,
) -> Result<ConfirmView, AppError> {
    let start = parse_start(start)?;
    let slot = check_start(db, defaults, student, &b.course, b.st.id, start, now).await?;
    let viewer = views::parse_timezone(&student.timezone);
    let date = slot.local_date;
    let tutor_zone = views::parse_timezone(&b.teacher.timezone);
    let tutor_time = same_clock_differs(viewer, tutor_zone, slot.start).then(|| {
        let (tutor_date, tutor_time) = views::session_labels(slot.start, slot.end, tutor_zone);
        format!("{tutor_time} for {} ({tutor_date})", b.teacher.name)
    });
    Ok(ConfirmView {
        course_id: b.course.id,
        teacher: b.card(),
        summary: session_summary(&b.course, &b.teacher, (slot.start, slot.end), viewer),
        date: date.to_string(),
        start: slot.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        tutor_time,
        timezone_label: timezone_label(&student.timezone),
        idempotency_key: new_idempotency_key(),
    })
}

fn session_summary(
    course: &course::Model,
    teacher: &user::Model,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    viewer: Tz,
) -> SessionSummary {
    let (date_label, time_label) = views::session_labels(start, end, viewer);
    SessionSummary {
        course_title: course.title.clone(),
        teacher_name: teacher.name.clone(),
        teacher_avatar: views::avatar(teacher),
        date_label,
        time_label,
        session_minutes: course.session_minutes,
    }
}

/// A session with its tutor and course, found only for its own student.
async fn own_session(
    db: &impl ConnectionTrait,
    student: &user::Model,
    session_id: i32,
) -> Result<(session::Model, user::Model, course::Model), AppError> {
    let not_found = || AppError::NotFound("Session".into());
    let s = session::Entity::find_by_id(session_id).one(db).await?.filter(|s| s.student_id == student.id).ok_or_else(not_found)?;
    let teacher = user::Entity::find_by_id(s.teacher_id).one(db).await?.ok_or_else(not_found)?;
    let course = views::find_course(db, s.course_id).await?;
    Ok((s, teacher, course))
}

pub fn calendar_entry<'a>(s: &'a session::Model, title: &'a str) -> CalendarEntry<'a> {
    CalendarEntry { session_id: s.id, title, start: s.start_at, end: s.end_at, details: &s.note, location: s.video_url.as_deref() }
}

/// The confirmation screen of a session, for its own student only.
pub async fn booked_view(db: &impl ConnectionTrait, student: &user::Model, session_id: i32) -> Result<BookedView, AppError> {
    let (s, teacher, course) = own_session(db, student, session_id).await?;
    let title = format!("{} with {}", course.title, teacher.name);
    let entry = calendar_entry(&s, &title);
    Ok(BookedView {
        session_id: s.id,
        summary: session_summary(&course, &teacher, (s.start_at, s.end_at), views::parse_timezone(&student.timezone)),
        course_id: course.id,
        google_url: entry.google_link(),
        outlook_url: entry.outlook_link(),
        video_url: s.video_url.clone(),
    })
}

/// The session's `.ics` file, for its own student.
pub async fn calendar_file(
    db: &impl ConnectionTrait,
    student: &user::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (s, teacher, course) = own_session(db, student, session_id).await?;
    let title = format!("{} with {}", course.title, teacher.name);
    Ok(calendar_entry(&s, &title).ics(now))
}

/// Whether two zones show different wall-clock times at `at`.
fn same_clock_differs(a: Tz, b: Tz, at: DateTime<Utc>) -> bool {
    a.offset_from_utc_datetime(&at.naive_utc()).fix() != b.offset_from_utc_datetime(&at.naive_utc()).fix()
}

/// "UTC-04:00 to UTC-05:00" when `zone`'s offset at the start of `date` differs from its
/// offset at the start of the next date.
pub fn clock_change(zone: Tz, date: NaiveDate) -> Option<String> {
    // A change at midnight (Santiago, Havana) skips midnight itself: then read the hour after.
    let offset_at_start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0)?;
        let at = |t| zone.from_local_datetime(&t).earliest();
        at(midnight).or_else(|| at(midnight + Duration::hours(1))).map(|t| t.offset().fix())
    };
    let (before, after) = (offset_at_start(date)?, offset_at_start(date.succ_opt()?)?);
    (before != after).then(|| format!("UTC{before} to UTC{after}"))
}

/// A name a person reads: "Eastern Time (New York)"; for zones without a common name, the
/// city: "Kathmandu time".
pub fn timezone_label(name: &str) -> String {
    const NAMED: [(&str, &str); 12] = [
        ("America/New_York", "Eastern Time"),
        ("America/Chicago", "Central Time"),
        ("America/Denver", "Mountain Time"),
        ("America/Los_Angeles", "Pacific Time"),
        ("Europe/London", "UK Time"),
        ("Europe/Berlin", "Central European Time"),
        ("Europe/Zagreb", "Central European Time"),
        ("Asia/Kolkata", "India Standard Time"),
        ("Asia/Tokyo", "Japan Time"),
        ("America/Sao_Paulo", "Brasília Time"),
        ("America/Mexico_City", "Central Time (Mexico)"),
        ("UTC", "Coordinated Universal Time"),
    ];
    let city = name.rsplit('/').next().unwrap_or(name).replace('_', " ");
    match NAMED.iter().find(|(zone, _)| *zone == name) {
        Some((_, label)) if name == "UTC" || label.contains('(') => (*label).to_owned(),
        Some((_, label)) => format!("{label} ({city})"),
        None => format!("{city} time"),
    }
}

/// Zones a student may choose: the common ones (every demo zone among them) and their own.
pub fn timezone_choices(current: &str) -> Vec<crate::api::settings::TimezoneChoice> {
    const COMMON: [&str; 24] = [
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
        "America/Mexico_City",
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "UTC",
        "Europe/London",
        "Europe/Lisbon",
        "Europe/Berlin",
        "Europe/Zagreb",
        "Europe/Paris",
        "Africa/Lagos",
        "Africa/Nairobi",
        "Asia/Dubai",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Asia/Singapore",
        "Asia/Shanghai",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Honolulu",
    ];
    let mut names: Vec<&str> = COMMON.to_vec();
    if !names.contains(&current) {
        names.push(current);
    }
    names.into_iter().map(|name| crate::api::settings::TimezoneChoice { name: name.to_owned(), label: timezone_label(name) }).collect()
}

/// Stores the student's timezone after checking it is one the IANA database knows.
pub async fn set_timezone(db: &impl ConnectionTrait, student: &user::Model, timezone: &str) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let zone: Tz = timezone.parse().map_err(|_| AppError::invalid("timezone", "Choose a timezone from the list."))?;
    let mut row: user::ActiveModel = student.clone().into();
    row.timezone = Set(zone.name().to_owned());
    row.update(db).await?;
    Ok(())
}

/// A fresh key for one confirm screen: 128 random bits, URL-safe.
fn new_idempotency_key() -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn clock_changes_are_found_on_their_date_only() {
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 3, 8)).as_deref(), Some("UTC-05:00 to UTC-04:00"));
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 11, 1)).as_deref(), Some("UTC-04:00 to UTC-05:00"));
        assert_eq!(clock_change(chrono_tz::Europe::London, d(2026, 3, 29)).as_deref(), Some("UTC+00:00 to UTC+01:00"));
        assert_eq!(clock_change(chrono_tz::America::New_York, d(2026, 3, 9)), None);
        assert_eq!(clock_change(chrono_tz::Asia::Kolkata, d(2026, 3, 8)), None);
    }

    #[test]
    fn timezones_have_names_people_read() {
        assert_eq!(timezone_label("America/New_York"), "Eastern Time (New York)");
        assert_eq!(timezone_label("America/Mexico_City"), "Central Time (Mexico)");
        assert_eq!(timezone_label("Asia/Kathmandu"), "Kathmandu time");
        assert_eq!(timezone_label("America/Argentina/Buenos_Aires"), "Buenos Aires time");
    }
}
