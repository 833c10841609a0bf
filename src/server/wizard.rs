//! What the booking wizard's steps show, from the database and the slot engine, for one
//! student and one Student-Teacher. Each function is given `now`.
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use std::sync::Arc;

use super::{
    allowance::{allowance, Charge},
    analytics::{Analytics, Event},
    availability::{day_time, slot_view, CourseCalendars, Scope},
    bookable::Bookable,
    booked::free_window_words,
    calendar_cache::View,
    catalog::Catalog,
    change_rules::{late_now, movable},
    config::BookingDefaults,
    enrollment::require_enrolled,
    holds::{hold, Held},
    input::{month_range, parse_date, parse_start},
    presentation::{course_summary, money, session_labels, session_summary},
    queries::teacher_of_another,
    state::AppState,
    timezones::{clock_change, parse_timezone, same_clock_differs, timezone_label},
};
use crate::{
    dto::{
        availability::SlotView,
        booking::{BookingPage, MovingSession},
        wizard::{ConfirmView, Cost, DayTime, DayTimes, MonthDays, MonthTimes, MovingFrom, NextTime},
        StId,
    },
    entities::{course, session, student_teacher, user, Actor},
    error::{AppError, Subject},
    slots::SlotResult,
    urls::{EntryPage, StepLinks},
};

/// The booking page for a course (`/courses/{course_id}/book`) or for one Student-Teacher
/// (`/book/{st_id}`): the course, whether the student may book it, and with whom; when
/// `reschedule` names one of the student's sessions of the course, that session and its tutor.
pub async fn booking_page(
    db: &DatabaseConnection,
    catalog: &Catalog,
    student: &user::Model,
    (course_id, st_id, reschedule): (Option<i32>, Option<StId>, Option<i32>),
    now: DateTime<Utc>,
) -> Result<BookingPage, AppError> {
    let not_found = || AppError::NotFound(Subject::StudentTeacher);
    let preselected_row = match st_id {
        Some(id) => Some(student_teacher::Entity::find_by_id(id.0).one(db).await?.ok_or_else(not_found)?),
        None => None,
    };
    let course_id = match (course_id, &preselected_row) {
        (Some(course_id), Some(st)) if st.course_id != course_id => return Err(not_found()),
        (Some(course_id), _) => course_id,
        (None, Some(st)) => st.course_id,
        (None, None) => return Err(AppError::invalid("course_id", "Choose a course to book.")),
    };
    let entry = catalog.course(db, course_id).await?;
    let enrolled = catalog.is_enrolled(db, student.id, course_id).await?;
    let teachers = if enrolled { entry.teachers_for(student.id) } else { Vec::new() };
    // A pre-selected Student-Teacher who is no longer active is shown as unavailable, not booked.
    let preselected = preselected_row.and_then(|st| teachers.iter().find(|t| t.st_id == StId(st.id)).cloned());
    let moving = match reschedule {
        Some(session_id) => {
            let s = movable(db, student, session_id, now).await?;
            let teacher = entry
                .teacher_by_user(s.teacher_id)
                .filter(|_| s.course_id == course_id && s.teacher_id != student.id)
                .cloned()
                .ok_or(AppError::NotFound(Subject::Session))?;
            Some(MovingSession { session_id, teacher, current: current_time(&s, parse_timezone(&student.timezone)) })
        }
        None => None,
    };
    Ok(BookingPage {
        course: course_summary(&entry.course),
        enrolled,
        teachers,
        preselected,
        student_timezone: student.timezone.clone(),
        moving,
    })
}

/// Step 1's choice: records `st_selected`; the answer is step 2's URL.
pub async fn select_student_teacher(
    db: &DatabaseConnection,
    analytics: &Analytics,
    student: &user::Model,
    st_id: StId,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let st = teacher_of_another(db, student, st_id).await?;
    require_enrolled(db, student, st.course_id).await?;
    analytics.record(Some(student.id), Event::StSelected { st_id }, now);
    Ok(StepLinks::new(EntryPage::Course(st.course_id), st_id).date())
}

/// A choice posted from a step: the Student-Teacher, the value chosen (a date, a start), the
/// entry page to continue on, and the session being rescheduled, if any.
pub struct Choice<'a> {
    pub st_id: StId,
    pub value: &'a str,
    pub page: &'a str,
    pub reschedule: Option<i32>,
}

impl Choice<'_> {
    async fn links(&self, state: &AppState, student: &user::Model, now: DateTime<Utc>) -> Result<StepLinks, AppError> {
        let b = state.catalog.bookable_for(&state.db, student, self.st_id, self.reschedule, now).await?;
        let links = StepLinks::new(self.page.parse()?, self.st_id);
        Ok(match b.moving_id() {
            Some(id) => links.rescheduling(id),
            None => links,
        })
    }
}

/// Step 2's choice: records `date_selected`; the answer is step 3's URL.
pub async fn select_date(state: &AppState, student: &user::Model, choice: Choice<'_>, now: DateTime<Utc>) -> Result<String, AppError> {
    let links = choice.links(state, student, now).await?;
    let day = parse_date("date", choice.value)?;
    state.analytics.record(Some(student.id), Event::DateSelected { date: day.to_string() }, now);
    Ok(links.time(&day.to_string()))
}

/// Step 3's choice: records `time_selected`; the answer is step 4's URL.
pub async fn select_time(state: &AppState, student: &user::Model, choice: Choice<'_>, now: DateTime<Utc>) -> Result<String, AppError> {
    let links = choice.links(state, student, now).await?;
    let at = parse_start(choice.value)?;
    let date = at.with_timezone(&parse_timezone(&student.timezone)).date_naive().to_string();
    let start = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state.analytics.record(Some(student.id), Event::TimeSelected { time: start.clone(), st_id: choice.st_id }, now);
    Ok(links.confirm(&date, &start))
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
    let scope = Scope { st_id: Some(b.st_id()), dates: Some((from, to)), moving: b.moving_id() };
    let loaded = CourseCalendars::load(db, defaults, student, &b.course, scope, now).await?;
    Ok(loaded.calendars.first().map(|cal| loaded.slots(cal, from, to)).unwrap_or_default())
}

/// Steps 2 and 3 of a month (by default the student's this month): its days with a bookable
/// time, the first bookable time at all, and each of its dates' times; from the calendar
/// cache, else computed (and the first time kept for step 1 as well).
pub async fn month_times(
    state: &AppState,
    student: &user::Model,
    b: &Bookable,
    month: Option<&str>,
    now: DateTime<Utc>,
) -> Result<MonthTimes, AppError> {
    let viewer = parse_timezone(&student.timezone);
    let today = now.with_timezone(&viewer).date_naive();
    let month = month.map_or_else(|| format!("{:04}-{:02}", today.year(), today.month()), str::to_owned);
    let view = View { st_id: b.st_id(), teacher_id: b.teacher.id, student_id: student.id, timezone: viewer, moving: b.moving_id() };
    let versions = state.live.versions();
    let stamp = view.stamp(versions);
    let compute = async {
        let (times, first) = compute_month_times(&state.db, &state.settings.booking, student, b, &month, now).await?;
        state.calendars.next.insert(view, (), stamp, first).await;
        Ok(Arc::new(times))
    };
    let times = state.calendars.months.get_or_compute(versions, view, month.clone(), compute).await?;
    Ok(MonthTimes::clone(&times))
}

async fn compute_month_times(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    month: &str,
    now: DateTime<Utc>,
) -> Result<(MonthTimes, Option<SlotView>), AppError> {
    let viewer = parse_timezone(&student.timezone);
    let today = now.with_timezone(&viewer).date_naive();
    let last_day = (now + Duration::days(defaults.horizon_days)).with_timezone(&viewer).date_naive();
    let (first, last) = month_range(month)?;
    let upcoming = slots(db, defaults, student, b, (today, last_day), now).await?;
    let first_bookable = upcoming.slots.iter().find(|s| s.is_bookable());
    let next_available = first_bookable.map(|s| NextTime { date: s.local_date.to_string(), time: day_time(s) });
    let in_month = |d: &NaiveDate| (first..=last).contains(d);
    let days = upcoming.days.iter().filter(|d| in_month(d)).map(NaiveDate::to_string).collect();
    let month_of = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    let mut dates: Vec<NaiveDate> = upcoming.slots.iter().map(|s| s.local_date).filter(in_month).collect();
    dates.dedup();
    let day_views = dates
        .into_iter()
        .map(|date| {
            let times = upcoming.slots.iter().filter(|s| s.local_date == date).map(day_time).collect();
            day_view(student, b, date, times)
        })
        .collect();
    let month = MonthDays {
        month: month.to_owned(),
        today: today.to_string(),
        days,
        next_available,
        // Months before this one, or wholly past the horizon, hold nothing to book.
        prev_month: (first > today).then(|| month_of(first - Duration::days(1))),
        next_month: (last < last_day).then(|| month_of(last + Duration::days(1))),
        timezone_label: timezone_label(&student.timezone),
    };
    // The first time is step 1's "Next Available" too, which names its Student-Teacher.
    Ok((MonthTimes { month, days: day_views }, first_bookable.map(|s| slot_view(b.st_id(), s))))
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
    let date = parse_date("date", date)?;
    let found = slots(db, defaults, student, b, (date, date), now).await?;
    Ok(day_view(student, b, date, found.slots.iter().map(day_time).collect()))
}

/// A date's times as step 3 shows them, with the clock changes on that date.
fn day_view(student: &user::Model, b: &Bookable, date: NaiveDate, slots: Vec<DayTime>) -> DayTimes {
    let mut clock_changes = Vec::new();
    for (whose, zone) in [("your", &student.timezone), (&*format!("{}'s", b.teacher.name), &b.teacher.timezone)] {
        if let Some(change) = clock_change(parse_timezone(zone), date) {
            let note = format!("Clocks change on this date in {whose} timezone ({change}).");
            if !clock_changes.contains(&note) {
                clock_changes.push(note);
            }
        }
    }
    DayTimes {
        date: date.to_string(),
        date_label: date.format("%A, %B %-d, %Y").to_string(),
        slots,
        session_minutes: b.course.session_minutes,
        timezone_label: timezone_label(&student.timezone),
        clock_changes,
    }
}

/// "This Week": the next seven days that have bookable times, each with those times.
pub async fn week_times(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    student: &user::Model,
    b: &Bookable,
    now: DateTime<Utc>,
) -> Result<Vec<DayTimes>, AppError> {
    let today = now.with_timezone(&parse_timezone(&student.timezone)).date_naive();
    let found = slots(db, defaults, student, b, (today, today + Duration::days(6)), now).await?;
    let timezone_label = timezone_label(&student.timezone);
    Ok(found
        .days
        .iter()
        .map(|date| DayTimes {
            date: date.to_string(),
            date_label: date.format("%A, %B %-d").to_string(),
            slots: found.slots.iter().filter(|s| s.local_date == *date && s.is_bookable()).map(day_time).collect(),
            session_minutes: b.course.session_minutes,
            timezone_label: timezone_label.clone(),
            clock_changes: Vec::new(),
        })
        .collect())
}

/// Step 4: the summary of a start time that is still bookable, which opening it holds for the
/// student (`holds`).
pub async fn confirm_view(
    state: &AppState,
    student: &user::Model,
    b: &Bookable,
    start: &str,
    now: DateTime<Utc>,
) -> Result<ConfirmView, AppError> {
    let (db, defaults) = (&state.db, &state.settings.booking);
    let start = parse_start(start)?;
    let Held { slot, expires_at } = hold(state, student, b, start, now).await?;
    let viewer = parse_timezone(&student.timezone);
    let date = slot.local_date;
    let tutor_zone = parse_timezone(&b.teacher.timezone);
    let tutor_time = same_clock_differs(viewer, tutor_zone, slot.start).then(|| {
        let (tutor_date, tutor_time) = session_labels(slot.start, slot.end, tutor_zone);
        format!("{tutor_time} for {} ({tutor_date})", b.teacher.name)
    });
    Ok(ConfirmView {
        course_id: b.course.id,
        teacher: b.card(),
        summary: session_summary(&b.course, ("Student-Teacher", &b.teacher), (slot.start, slot.end), viewer),
        date: date.to_string(),
        start: slot.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        tutor_time,
        timezone_label: timezone_label(&student.timezone),
        idempotency_key: new_idempotency_key(),
        hold_seconds: (expires_at - now).num_seconds(),
        cost: match &b.moving {
            Some(_) => None,
            None => Some(cost(db, student, &b.course).await?),
        },
        moving: match &b.moving {
            Some(s) => Some(moving_from(db, defaults, s, viewer, now).await?),
            None => None,
        },
    })
}

/// What booking one more session of `course` costs the student, in the confirm step's words.
async fn cost(db: &impl ConnectionTrait, student: &user::Model, course: &course::Model) -> Result<Cost, AppError> {
    let allowance = allowance(db, student.id, course).await?;
    Ok(match Charge::for_next(&allowance, course) {
        Charge::Included if course.session_price_cents.is_none() => Cost { paid: false, text: "Included in your course.".into() },
        Charge::Included => {
            let after = allowance.left - 1;
            let text = match after {
                0 => "Included in your course: this is your last included session.".to_owned(),
                1 => "Included in your course: 1 session left after this one.".to_owned(),
                n => format!("Included in your course: {n} sessions left after this one."),
            };
            Cost { paid: false, text }
        }
        Charge::Paid { amount_cents, currency } => Cost {
            paid: true,
            text: format!(
                "{}: you have used the {} sessions your course includes. You pay by card on the next screen.",
                money(amount_cents, &currency),
                allowance.included
            ),
        },
    })
}

/// The session a confirm step moves, with the policy's warning when the move is late: once
/// moved late, its cancel counts it as used (`change_rules::is_late`).
async fn moving_from(
    db: &impl ConnectionTrait,
    defaults: &BookingDefaults,
    s: &session::Model,
    viewer: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<MovingFrom, AppError> {
    let late = late_now(db, defaults, Actor::Student, s, now).await?;
    let late_warning = late.then(|| {
        format!(
            "This session starts in less than {}, so this move is late: after it, cancelling the session counts it as used.",
            free_window_words(defaults)
        )
    });
    Ok(MovingFrom { session_id: s.id, current: current_time(s, viewer), late_warning })
}

/// A session's time as the reschedule screens name it: "Tuesday, December 8, 2026 · 9:00 AM –
/// 10:00 AM EST".
pub fn current_time(s: &session::Model, viewer: chrono_tz::Tz) -> String {
    let (date, time) = session_labels(s.start_at, s.end_at, viewer);
    format!("{date} · {time}")
}

/// A fresh key for one confirm screen: 128 random bits, URL-safe.
fn new_idempotency_key() -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}
