//! Loading what the slot engine needs from the database: one query per table, however many
//! Student-Teachers or days are asked for.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

use super::{
    calendar_cache::View, enrollment::enrolled_course, input::month_range, live::Stamp, queries::users_by_id, state::AppState,
    time_off::time_off_spans, timezones::parse_timezone,
};
use crate::{
    dto::{
        availability::{MonthAvailability, SlotView},
        wizard::DayTime,
        StId,
    },
    entities::{availability, course, hold, session, student_teacher, user, SessionStatus},
    error::{AppError, Subject},
    slots::{check_slot, compute_slots, Interval, LocalTime, Policy, Slot, SlotQuery, SlotRejection, SlotResult, WeeklyRule},
};

/// One Student-Teacher's calendar: weekly rules, time off and extra hours, existing sessions.
pub struct TutorCalendar {
    pub st: student_teacher::Model,
    pub person: user::Model,
    pub rules: Vec<WeeklyRule>,
    pub time_off: Vec<Interval>,
    pub extra: Vec<Interval>,
    pub busy: Vec<Interval>,
}

impl TutorCalendar {
    pub fn st_id(&self) -> StId {
        StId(self.st.id)
    }
}

/// The span of instants whose sessions can matter for slots on viewer dates `from..=to`:
/// a viewer date reaches 14 hours either side of UTC, and buffers reach a little further.
pub fn busy_window(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    // Saturating: parsed dates are bounded (`server::input`), but nothing here may panic.
    let start = midnight(from).checked_sub_signed(Duration::days(2)).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let end = midnight(to).checked_add_signed(Duration::days(3)).unwrap_or(DateTime::<Utc>::MAX_UTC);
    (start, end)
}

/// Calendars of a course's active Student-Teachers (or of one of them), with their sessions
/// overlapping `window`.
pub async fn tutor_calendars(
    db: &impl ConnectionTrait,
    course_id: i32,
    scope: Scope,
    window: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<Vec<TutorCalendar>, AppError> {
    let mut query = student_teacher::Entity::find()
        .filter(student_teacher::Column::CourseId.eq(course_id))
        .filter(student_teacher::Column::IsActive.eq(true));
    if let Some(StId(st_id)) = scope.st_id {
        query = query.filter(student_teacher::Column::Id.eq(st_id));
    }
    let sts = query.all(db).await?;
    if sts.is_empty() {
        return Ok(Vec::new());
    }
    let teacher_ids: Vec<i32> = sts.iter().map(|st| st.user_id).collect();
    let people = users_by_id(db, teacher_ids.iter().copied()).await?;
    let mut rules: HashMap<i32, Vec<WeeklyRule>> = HashMap::new();
    for row in availability::Entity::find().filter(availability::Column::TeacherId.is_in(teacher_ids.clone())).all(db).await? {
        match weekly_rule(&row) {
            Some(rule) => rules.entry(row.teacher_id).or_default().push(rule),
            None => tracing::warn!(availability_id = row.id, "skipping an availability row that does not parse"),
        }
    }
    let (mut time_off, mut extra): (HashMap<i32, Vec<Interval>>, HashMap<i32, Vec<Interval>>) = Default::default();
    let dates = (window.0.date_naive(), window.1.date_naive());
    for (teacher, off, kept) in time_off_spans(db, teacher_ids.clone(), dates).await? {
        time_off.entry(teacher).or_default().push(off);
        extra.entry(teacher).or_default().extend(kept);
    }
    // Student-Teachers are students too: their own lessons occupy them as much as their teaching.
    let mut busy: HashMap<i32, Vec<Interval>> = HashMap::new();
    let involving_tutors = sea_orm::Condition::any()
        .add(session::Column::TeacherId.is_in(teacher_ids.clone()))
        .add(session::Column::StudentId.is_in(teacher_ids));
    for s in sessions_overlapping(db, involving_tutors, window, scope.moving, now).await? {
        let interval = Interval { start: s.start_at, end: s.end_at };
        for person in [s.teacher_id, s.student_id] {
            if people.contains_key(&person) {
                busy.entry(person).or_default().push(interval);
            }
        }
    }
    Ok(sts
        .into_iter()
        .filter_map(|st| {
            let person = people.get(&st.user_id)?.clone();
            Some(TutorCalendar {
                rules: rules.get(&st.user_id).cloned().unwrap_or_default(),
                time_off: time_off.get(&st.user_id).cloned().unwrap_or_default(),
                extra: extra.get(&st.user_id).cloned().unwrap_or_default(),
                busy: busy.get(&st.user_id).cloned().unwrap_or_default(),
                st,
                person,
            })
        })
        .collect())
}

/// The student's own sessions overlapping `window`, with any tutor in any course, but for
/// the session being moved.
pub async fn student_busy(
    db: &impl ConnectionTrait,
    student_id: i32,
    window: (DateTime<Utc>, DateTime<Utc>),
    moving: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Vec<Interval>, AppError> {
    Ok(sessions_overlapping(db, session::Column::StudentId.eq(student_id), window, moving, now)
        .await?
        .into_iter()
        .map(|s| Interval { start: s.start_at, end: s.end_at })
        .collect())
}

/// The sessions that occupy their time at `now`: scheduled ones, and those awaiting payment
/// whose hold has not ended (whether or not the holds worker has expired it yet).
pub fn occupying(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any().add(session::Column::Status.eq(SessionStatus::Scheduled)).add(
        sea_orm::Condition::all()
            .add(session::Column::Status.eq(SessionStatus::PendingPayment))
            .add(session::Column::HoldExpiresAt.gt(now)),
    )
}

/// Sessions overlapping the window that occupy their time; `moving`, a session being
/// rescheduled, does not occupy its own old time.
async fn sessions_overlapping(
    db: &impl ConnectionTrait,
    whose: impl sea_orm::sea_query::IntoCondition,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    moving: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Vec<session::Model>, AppError> {
    let mut query = session::Entity::find()
        .filter(whose)
        .filter(occupying(now))
        .filter(session::Column::StartAt.lt(end))
        .filter(session::Column::EndAt.gt(start));
    if let Some(id) = moving {
        query = query.filter(session::Column::Id.ne(id));
    }
    Ok(query.all(db).await?)
}

/// The live holds of Student-Teachers `teachers` overlapping `window`, but for `viewer`'s own:
/// a student sees the time they hold as theirs to book (docs/booking-contract.md §9).
async fn held_by_others(
    db: &impl ConnectionTrait,
    teachers: Vec<i32>,
    viewer: i32,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<Vec<hold::Model>, AppError> {
    if teachers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(hold::Entity::find()
        .filter(hold::Column::TeacherId.is_in(teachers))
        .filter(hold::Column::StudentId.ne(viewer))
        .filter(hold::Column::ExpiresAt.gt(now))
        .filter(hold::Column::StartAt.lt(end))
        .filter(hold::Column::EndAt.gt(start))
        .all(db)
        .await?)
}

/// Which calendars to load: all of a course's tutors or one, around which of the student's
/// dates (by default today to the horizon), and the session being moved, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub st_id: Option<StId>,
    pub dates: Option<(NaiveDate, NaiveDate)>,
    pub moving: Option<i32>,
}

/// A start a student proposes with a Student-Teacher; `moving` is the student's session it
/// would move there.
#[derive(Debug, Clone, Copy)]
pub struct Proposal {
    pub st_id: StId,
    pub start: DateTime<Utc>,
    pub moving: Option<i32>,
}

fn weekly_rule(row: &availability::Model) -> Option<WeeklyRule> {
    Some(WeeklyRule {
        day_of_week: u8::try_from(row.day_of_week).ok().filter(|d| (1..=7).contains(d))?,
        start: row.start_time.parse::<LocalTime>().ok()?,
        end: row.end_time.parse::<LocalTime>().ok()?,
        timezone: row.timezone.parse::<Tz>().ok()?,
    })
}

/// A start time as pages show it, labelled in the viewer's timezone.
pub fn slot_view(st_id: StId, slot: &Slot) -> SlotView {
    let DayTime { start, start_label, end_label, bookable } = day_time(slot);
    SlotView { st_id, start, local_date: slot.local_date.to_string(), start_label, end_label, bookable }
}

/// A start time as a date's list shows it.
pub fn day_time(slot: &Slot) -> DayTime {
    DayTime {
        start: slot.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        start_label: slot.local_start.format("%-I:%M %p").to_string(),
        end_label: slot.local_end.format("%-I:%M %p").to_string(),
        bookable: slot.is_bookable(),
    }
}

/// Everything the slot engine needs for a course's tutors (or one of them) and one student:
/// one query per table. Its busy times cover the student's dates `dates` (by default today to
/// the horizon, outside which no slot lies, whichever dates are asked for).
pub struct CourseCalendars {
    now: DateTime<Utc>,
    viewer: Tz,
    policy: Policy,
    today: NaiveDate,
    horizon_end: NaiveDate,
    pub calendars: Vec<TutorCalendar>,
    mine: Vec<Interval>,
}

impl CourseCalendars {
    /// The caller has checked that `student` may book `course`.
    pub async fn load(
        db: &impl ConnectionTrait,
        defaults: &super::config::BookingDefaults,
        student: &user::Model,
        course: &course::Model,
        scope: Scope,
        now: DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let viewer = parse_timezone(&student.timezone);
        let today = now.with_timezone(&viewer).date_naive();
        let horizon_end = (now + Duration::days(defaults.horizon_days)).with_timezone(&viewer).date_naive();
        let (from, to) = scope.dates.unwrap_or((today, horizon_end));
        let window = busy_window(from, to);
        let mut calendars = tutor_calendars(db, course.id, scope, window, now).await?;
        // A student who also teaches the course is not among their own choices.
        calendars.retain(|cal| cal.person.id != student.id);
        if scope.st_id.is_some() && calendars.is_empty() {
            return Err(AppError::NotFound(Subject::StudentTeacher));
        }
        let mine = student_busy(db, student.id, window, scope.moving, now).await?;
        for held in held_by_others(db, calendars.iter().map(|cal| cal.person.id).collect(), student.id, window, now).await? {
            if let Some(cal) = calendars.iter_mut().find(|cal| cal.person.id == held.teacher_id) {
                cal.busy.push(Interval { start: held.start_at, end: held.end_at });
            }
        }
        let policy = defaults.policy(course.session_minutes.into());
        Ok(Self { now, viewer, policy, today, horizon_end, calendars, mine })
    }

    fn query<'a>(&'a self, cal: &'a TutorCalendar, from: NaiveDate, to: NaiveDate) -> SlotQuery<'a> {
        SlotQuery {
            now: self.now,
            viewer_timezone: self.viewer,
            from,
            to,
            policy: &self.policy,
            rules: &cal.rules,
            time_off: &cal.time_off,
            extra: &cal.extra,
            busy: &cal.busy,
            student_busy: &self.mine,
        }
    }

    pub fn slots(&self, cal: &TutorCalendar, from: NaiveDate, to: NaiveDate) -> SlotResult {
        compute_slots(&self.query(cal, from, to))
    }

    /// Each tutor's first bookable slot from now to the horizon, if they have one.
    pub fn first_bookable(&self) -> Vec<(StId, Slot)> {
        self.calendars
            .iter()
            .filter_map(|cal| {
                let upcoming = self.slots(cal, self.today, self.horizon_end);
                upcoming.slots.into_iter().find(Slot::is_bookable).map(|slot| (cal.st_id(), slot))
            })
            .collect()
    }
}

/// The month view of a course's times (one Student-Teacher's, or all), given `now`.
pub async fn month_availability(
    db: &impl ConnectionTrait,
    defaults: &super::config::BookingDefaults,
    student: &user::Model,
    course_id: i32,
    st_id: Option<StId>,
    month: &str,
    now: DateTime<Utc>,
) -> Result<MonthAvailability, AppError> {
    let (from, to) = month_range(month)?;
    let course = enrolled_course(db, student, course_id).await?;
    let loaded = CourseCalendars::load(db, defaults, student, &course, Scope { st_id, ..Scope::default() }, now).await?;
    let mut slots = Vec::new();
    let mut days = std::collections::BTreeSet::new();
    for cal in &loaded.calendars {
        let month_result = loaded.slots(cal, from, to);
        days.extend(month_result.days.iter().map(NaiveDate::to_string));
        slots.extend(month_result.slots.iter().map(|s| (s.start, slot_view(cal.st_id(), s))));
    }
    slots.sort_by(|(a, va), (b, vb)| a.cmp(b).then(va.st_id.cmp(&vb.st_id)));
    let next = loaded.first_bookable().into_iter().min_by_key(|(st_id, slot)| (slot.start, *st_id));
    Ok(MonthAvailability {
        month: month.to_owned(),
        timezone: student.timezone.clone(),
        days: days.into_iter().collect(),
        slots: slots.into_iter().map(|(_, v)| v).collect(),
        next_available: next.map(|(st_id, slot)| slot_view(st_id, &slot)),
        session_minutes: loaded.policy.duration_minutes as i32,
    })
}

/// Step 1: each of the course's tutors' first bookable time, so the soonest is easy to pick;
/// from the calendar cache, else computed for all of them at once.
pub async fn next_by_tutor(state: &AppState, student: &user::Model, course_id: i32, now: DateTime<Utc>) -> Result<Vec<SlotView>, AppError> {
    let entry = state.catalog.enrolled_course(&state.db, student, course_id).await?;
    let (versions, next) = (state.live.versions(), &state.calendars.next);
    let timezone = parse_timezone(&student.timezone);
    let views: Vec<(View, Stamp)> = entry
        .bookable_by(student.id)
        .map(|t| {
            let view = View { st_id: t.card.st_id, teacher_id: t.person.id, student_id: student.id, timezone, moving: None };
            (view, view.stamp(versions))
        })
        .collect();
    let mut kept = Vec::with_capacity(views.len());
    for (view, stamp) in &views {
        match next.get(*view, (), *stamp).await {
            Some(found) => kept.extend(found),
            None => return first_times(state, student, &entry.course, &views, now).await,
        }
    }
    Ok(kept)
}

/// Each tutor's first bookable time computed, and kept under the stamp read before loading.
async fn first_times(
    state: &AppState,
    student: &user::Model,
    course: &course::Model,
    views: &[(View, Stamp)],
    now: DateTime<Utc>,
) -> Result<Vec<SlotView>, AppError> {
    let loaded = CourseCalendars::load(&state.db, &state.settings.booking, student, course, Scope::default(), now).await?;
    let mut firsts: HashMap<StId, SlotView> =
        loaded.first_bookable().iter().map(|(st_id, slot)| (*st_id, slot_view(*st_id, slot))).collect();
    let mut found = Vec::with_capacity(views.len());
    for (view, stamp) in views {
        let first = firsts.remove(&view.st_id);
        state.calendars.next.insert(*view, (), *stamp, first.clone()).await;
        found.extend(first);
    }
    Ok(found)
}

/// Whether `proposal` can be booked now by `student`, asked of the same engine that listed it:
/// the slot, or why not. The confirm step and the transactions that hold or move a session all
/// ask here, so a time the page confirms is a time the commit accepts.
pub async fn check_start(
    db: &impl ConnectionTrait,
    defaults: &super::config::BookingDefaults,
    student: &user::Model,
    course: &course::Model,
    proposal: &Proposal,
    now: DateTime<Utc>,
) -> Result<Slot, AppError> {
    Ok(Checked::load(db, defaults, student, course, proposal, now).await?.slot)
}

/// A start checked against the whole calendar it was read from, which a write transaction can
/// check again by reading only what a commit meanwhile could have changed ([`Checked::recheck`]).
pub struct Checked {
    calendars: CourseCalendars,
    proposal: Proposal,
    student_id: i32,
    pub slot: Slot,
}

impl Checked {
    pub async fn load(
        db: &impl ConnectionTrait,
        defaults: &super::config::BookingDefaults,
        student: &user::Model,
        course: &course::Model,
        proposal: &Proposal,
        now: DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let date = proposal.start.with_timezone(&parse_timezone(&student.timezone)).date_naive();
        // Only the busy times around that date: a transaction reads no more than it must.
        let scope = Scope { st_id: Some(proposal.st_id), dates: Some((date, date)), moving: proposal.moving };
        let calendars = CourseCalendars::load(db, defaults, student, course, scope, now).await?;
        let slot = calendars.check(proposal.start)?;
        Ok(Self { calendars, proposal: *proposal, student_id: student.id, slot })
    }

    /// The same check in the caller's write transaction, with both people's sessions and the
    /// others' holds that reach the slot (with the buffer) read again: no commit of a session
    /// or hold is missed, as long as both people are locked (`db::lock_people`). The tutor's
    /// hours and time off are as [`Checked::load`] read them: a change to them that commits
    /// meanwhile does not refuse this booking, as if it had come first.
    pub async fn recheck(mut self, txn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Slot, AppError> {
        let reach = Duration::minutes(self.calendars.policy.buffer_minutes) + Duration::seconds(1);
        let window = (self.slot.start - reach, self.slot.end + reach);
        let calendar = self.calendars.calendars.first_mut().ok_or(AppError::NotFound(Subject::StudentTeacher))?;
        let (tutor, student) = (calendar.person.id, self.student_id);
        let either = [tutor, student];
        let involving_either =
            sea_orm::Condition::any().add(session::Column::TeacherId.is_in(either)).add(session::Column::StudentId.is_in(either));
        let near = sessions_overlapping(txn, involving_either, window, self.proposal.moving, now).await?;
        let interval = |s: &session::Model| Interval { start: s.start_at, end: s.end_at };
        calendar.busy = near.iter().filter(|s| s.teacher_id == tutor || s.student_id == tutor).map(interval).collect();
        calendar.busy.extend(
            held_by_others(txn, vec![tutor], student, window, now).await?.iter().map(|h| Interval { start: h.start_at, end: h.end_at }),
        );
        self.calendars.mine = near.iter().filter(|s| s.student_id == student).map(interval).collect();
        self.calendars.check(self.proposal.start)
    }
}

impl CourseCalendars {
    /// The engine's verdict on `start` with the first (the only) calendar loaded.
    fn check(&self, start: DateTime<Utc>) -> Result<Slot, AppError> {
        let calendar = self.calendars.first().ok_or(AppError::NotFound(Subject::StudentTeacher))?;
        let date = start.with_timezone(&self.viewer).date_naive();
        check_slot(&self.query(calendar, date, date), start).map_err(|rejection| match rejection {
            SlotRejection::Unavailable => AppError::SlotUnavailable,
            SlotRejection::StudentBusy => AppError::StudentConflict,
        })
    }
}
