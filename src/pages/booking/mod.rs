//! The booking page: `/courses/{course_id}/book` and `/book/{st_id}`. The wizard
//! lives in the URL (docs/booking-contract.md §1): `step` decides the step from the query, `urls::StepLinks`
//! builds every step's URL, and each step loads its own data.
pub mod calendar;
pub mod calendar_steps;
mod calls;
pub mod confirm_step;
pub mod date_step;
pub mod hold_keeper;
pub mod progress;
pub mod schedule_later;
pub mod step;
pub mod teacher_step;
pub mod time_step;
pub mod week;

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::{
    api::{
        booking::load_booking_page,
        sessions::RescheduleSession,
        wizard::{load_confirm, load_day_times, load_month_times, load_next_times, load_week_times, release_hold, BookSession},
    },
    components::{
        error_panel::ErrorPanel, post_form::use_form_error, teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta, use_id_param,
    },
    dto::{
        availability::SlotView,
        booking::BookingPage,
        wizard::{ConfirmView, DayTimes, MonthTimes},
        StId, TeacherCard,
    },
    error::{AppError, Subject},
    urls::{EntryPage, StepLinks},
};
use calendar_steps::CalendarSteps;
use confirm_step::ConfirmStep;
use progress::Progress;
use schedule_later::ScheduleLaterOption;
use step::{step, BookingQuery, Step};
use teacher_step::TeacherStep;
use week::WeekStep;

#[component]
pub fn CourseBookingPage() -> impl IntoView {
    let course_id = use_id_param("course_id");
    view! { <BookingPageView course_id st_id=Signal::stored(None)/> }
}

#[component]
pub fn TeacherBookingPage() -> impl IntoView {
    let st_id = use_id_param("st_id");
    let st_id = Signal::derive(move || st_id.get().map(StId));
    view! { <BookingPageView course_id=Signal::stored(None) st_id/> }
}

#[component]
fn BookingPageView(course_id: Signal<Option<i32>>, st_id: Signal<Option<StId>>) -> impl IntoView {
    let query_map = use_query_map();
    let (booking_error, reschedule_error) = (use_form_error(BookSession::PATH), use_form_error(RescheduleSession::PATH));
    let query = Memo::new(move |_| BookingQuery::parse(&query_map.read(), booking_error.get().or_else(|| reschedule_error.get())));
    // Arriving at the page is its `page_view`; moving between its steps is not.
    let arrived = move || query_map.with(|q| q.clone().into_iter().next().is_none());
    // Each step's own data, loaded once beside the page's: a resource made inside the wizard
    // would be made again each time the page's data arrives, and load again.
    let step_data =
        Resource::new(move || (course_id.get(), st_id.get(), query.get()), |(course_id, st_id, query)| load_step(course_id, st_id, query));
    let page = Resource::new(
        move || (course_id.get(), st_id.get(), arrived(), query.get().reschedule),
        |(course_id, st_id, arrived, reschedule)| async move {
            if course_id.is_none() && st_id.is_none() {
                return Err(AppError::NotFound(Subject::Course));
            }
            load_booking_page(course_id, st_id, arrived, reschedule).await
        },
    );
    // Pages render once, on the server (islands): read the URL once, untracked, so nothing
    // re-runs the wizard (and its steps' loads) while the page's data arrives.
    let query = query.get_untracked();
    let route_st = st_id.get_untracked();

    view! {
        <Title text="Book a Session"/>
        <div class="page booking">
            <Suspense fallback=|| view! { <BookingHeader course=None/><p class="loading">"Loading…"</p> }>
                {move || {
                    let query = query.clone();
                    Suspend::new(async move {
                        match (page.await, step_data.await) {
                            (Err(error), _) => view! { <BookingHeader course=None/><ErrorPanel error/> }.into_any(),
                            (Ok(data), step_data) => view! {
                                <BookingHeader course=Some((data.course.id, data.course.title.clone()))/>
                                <Wizard page=route_st.map_or(EntryPage::Course(data.course.id), |st| EntryPage::Teacher(st.0)) data step_data query/>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn BookingHeader(course: Option<(i32, String)>) -> impl IntoView {
    let back = course.as_ref().map_or_else(|| "/dashboard".to_owned(), |(id, _)| format!("/courses/{id}"));
    view! {
        <header class="booking-header">
            <a class="back-link" href=back>{if course.is_some() { "← Back to course" } else { "← Dashboard" }}</a>
            <h1>"Book a Session"</h1>
            {course.map(|(_, title)| view! { <p class="booking-course">{format!("for {title}")}</p> })}
        </header>
    }
}

/// What the current step shows, loaded by [`load_step`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StepData {
    /// Each tutor's first bookable time.
    Teacher(Vec<SlotView>),
    /// Steps 2 and 3: a month with its dates' times, and the date whose times to show.
    Calendar(Box<MonthTimes>, Option<String>),
    Week(Vec<DayTimes>),
    /// A start no longer bookable is the step's own message, not an error page.
    Confirm(Box<Result<ConfirmView, AppError>>),
}

/// Loads the data of the step the URL names (the route's `st_id` pre-selects a tutor).
async fn load_step(course_id: Option<i32>, route_st: Option<StId>, query: BookingQuery) -> Result<StepData, AppError> {
    let (st, moving) = (route_st.or(query.st), query.reschedule);
    let step = step(route_st, &query);
    if matches!(step, Step::Date | Step::Time) {
        // Back before step 4: the time it held is free again. Holds end on their own as well,
        // so a release that fails does not keep the page from showing.
        let _ = release_hold(None).await;
    }
    match (step, st) {
        (Step::Date, Some(st)) if query.this_week => load_week_times(st, moving).await.map(StepData::Week),
        (Step::Date, Some(st)) => load_month_times(st, query.month, moving).await.map(|month| StepData::Calendar(Box::new(month), None)),
        (Step::Time, Some(st)) => {
            let date = query.date.unwrap_or_default();
            // The date's month when the date reads plainly (`YYYY-MM-DD`); else this month,
            // and the date's own load below says what is wrong with it.
            let plain =
                date.len() == 10 && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
            let mut month = load_month_times(st, plain.then(|| date[..7].to_owned()), moving).await?;
            // A date without times (or outside the month's listing) still shows, empty.
            if month.day(&date).is_none() {
                month.days.push(load_day_times(st, date.clone(), moving).await?);
            }
            Ok(StepData::Calendar(Box::new(month), Some(date)))
        }
        (Step::Confirm, Some(st)) => Ok(StepData::Confirm(Box::new(load_confirm(st, query.start.unwrap_or_default(), moving).await))),
        _ => match course_id {
            Some(course_id) => load_next_times(course_id).await.map(StepData::Teacher),
            None => Ok(StepData::Teacher(Vec::new())),
        },
    }
}

#[component]
fn Wizard(data: BookingPage, step_data: Result<StepData, AppError>, query: BookingQuery, page: EntryPage) -> impl IntoView {
    let course_id = data.course.id;
    if !data.enrolled {
        return view! {
            <div class="panel panel-error" role="alert">
                <p>{AppError::NotEnrolled.to_string()} " " <a href=format!("/courses/{course_id}")>"Enroll now"</a></p>
            </div>
        }
        .into_any();
    }
    if data.teachers.is_empty() {
        return view! {
            <h2>"Choose a Student-Teacher"</h2>
            <div class="panel" role="status"><p>"No Student-Teachers available. Try later."</p></div>
            <ScheduleLaterOption course_id/>
        }
        .into_any();
    }
    // A reschedule stays with the session's own Student-Teacher.
    let can_change = data.preselected.is_none() && data.moving.is_none();
    let chosen = match &data.moving {
        Some(moving) => Some(moving.teacher.clone()),
        // A Student-Teacher named in the URL but not (or no longer) bookable: back to choosing.
        None => data.preselected.clone().or_else(|| query.st.and_then(|id| data.teachers.iter().find(|t| t.st_id == id).cloned())),
    };
    let links_for = |teacher: &TeacherCard| {
        let links = StepLinks::new(page, teacher.st_id);
        data.moving.as_ref().map_or(links, |m| links.rescheduling(m.session_id))
    };
    let step_data = match step_data {
        Ok(step_data) => step_data,
        Err(error) => return view! { <ErrorPanel error/> }.into_any(),
    };
    let body = match (chosen, step_data) {
        // The calendar island shows its own progress: it moves between steps 2 and 3 itself.
        (Some(teacher), StepData::Calendar(month, date)) => {
            let links = links_for(&teacher);
            view! {
                <CalendarSteps links month=*month date error=query.error.as_ref().map(AppError::to_string)>
                    <SelectedTeacher teacher can_change links/>
                </CalendarSteps>
            }
            .into_any()
        }
        (Some(teacher), StepData::Week(days)) => {
            let links = links_for(&teacher);
            view! { <Progress current=Step::Date/> <WeekStep teacher can_change links days/> }.into_any()
        }
        (Some(teacher), StepData::Confirm(summary)) => {
            let links = links_for(&teacher);
            view! { <Progress current=Step::Confirm/> <ConfirmStep teacher can_change links summary=*summary error=query.error.clone()/> }
                .into_any()
        }
        (_, StepData::Teacher(next_times)) => {
            view! { <Progress current=Step::Teacher/> <TeacherStep teachers=data.teachers.clone() course_id next_times/> }.into_any()
        }
        // A tutor named in the URL who is not (or no longer) bookable: back to choosing.
        _ => view! { <Progress current=Step::Teacher/> <TeacherStep teachers=data.teachers.clone() course_id next_times=Vec::new()/> }
            .into_any(),
    };
    let banner = data.moving.map(|m| {
        view! {
            <div class="panel reschedule-banner" role="note">
                <p><strong>"Rescheduling"</strong> {format!(" your session, now {}. Nothing changes until you confirm the new time.", m.current)}</p>
                <a class="btn btn-ghost btn-small" href=format!("/sessions/{}", m.session_id)>"Keep this time"</a>
            </div>
        }
    });
    view! { {banner} {body} }.into_any()
}

/// "Tue, Dec 1 at 9:00 AM" from a `YYYY-MM-DD` date and a time label.
pub fn next_label(date: &str, time: &str) -> String {
    match crate::month_grid::parse_date(date) {
        Some(day) => format!("{} at {time}", crate::month_grid::short_day_name(day)),
        None => format!("{date} at {time}"),
    }
}

/// The hidden fields every choice posts: the Student-Teacher and the entry page to continue on.
#[component]
fn StepInputs(links: StepLinks) -> impl IntoView {
    view! {
        <input type="hidden" name="st_id" value=links.st_id().to_string()/>
        <input type="hidden" name="page" value=links.page().to_string()/>
        {links.reschedule().map(|id| view! { <input type="hidden" name="reschedule" value=id.to_string()/> })}
    }
}

/// The chosen Student-Teacher above steps 2–4, with a way back to choose another.
#[component]
pub fn SelectedTeacher(teacher: TeacherCard, can_change: bool, links: StepLinks) -> impl IntoView {
    view! {
        <div class="selected-teacher card">
            <TeacherIdentity teacher=teacher.clone()/>
            <TeacherMeta teacher=teacher.clone()/>
            {can_change.then(|| view! {
                <a class="btn btn-ghost btn-small" href=links.teachers() aria-label="Change Student-Teacher">"Change"</a>
            })}
        </div>
    }
}
