//! The booking page (spec SBOK): `/courses/{course_id}/book` and `/book/{st_id}`. The wizard
//! lives in the URL (booking contract §1): `step` decides the step from the query, `links`
//! builds every step's URL, and each step loads its own data.
pub mod calendar;
pub mod confirm_step;
pub mod date_step;
pub mod links;
pub mod progress;
pub mod schedule_later;
pub mod step;
pub mod teacher_step;
pub mod time_step;
pub mod week;

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::{
    api::{
        booking::{load_booking_page, BookingPage},
        wizard::BookSession,
        TeacherCard,
    },
    components::{
        error_panel::ErrorPanel, post_form::use_form_error, teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta,
        use_id_param,
    },
    error::AppError,
};
use confirm_step::ConfirmStep;
use date_step::DateStep;
use links::StepLinks;
use progress::Progress;
use schedule_later::ScheduleLaterOption;
use step::{step, BookingQuery, Step};
use teacher_step::TeacherStep;
use time_step::TimeStep;
use week::WeekStep;

#[component]
pub fn CourseBookingPage() -> impl IntoView {
    let course_id = use_id_param("course_id");
    view! { <BookingPageView course_id st_id=Signal::stored(None)/> }
}

#[component]
pub fn TeacherBookingPage() -> impl IntoView {
    let st_id = use_id_param("st_id");
    view! { <BookingPageView course_id=Signal::stored(None) st_id/> }
}

#[component]
fn BookingPageView(course_id: Signal<Option<i32>>, st_id: Signal<Option<i32>>) -> impl IntoView {
    let query_map = use_query_map();
    let booking_error = use_form_error(BookSession::PATH);
    let query = Memo::new(move |_| BookingQuery::parse(&query_map.read(), booking_error.get()));
    // Arriving at the page is its `page_view`; moving between its steps is not.
    let arrived = move || query_map.with(|q| q.clone().into_iter().next().is_none());
    let page = Resource::new(
        move || (course_id.get(), st_id.get(), arrived()),
        |(course_id, st_id, arrived)| async move {
            if course_id.is_none() && st_id.is_none() {
                return Err(AppError::NotFound("Course".into()));
            }
            load_booking_page(course_id, st_id, arrived).await
        },
    );
    let path = use_location().pathname;

    view! {
        <Title text="Book a Session"/>
        <div class="page booking">
            <Suspense fallback=|| view! { <BookingHeader course=None/><p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <BookingHeader course=None/><ErrorPanel error/> }.into_any(),
                        Ok(data) => view! {
                            <BookingHeader course=Some((data.course.id, data.course.title.clone()))/>
                            <Wizard data query=query.get() page=path.get()/>
                        }.into_any(),
                    }
                })}
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

#[component]
fn Wizard(data: BookingPage, query: BookingQuery, page: String) -> impl IntoView {
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
    let can_change = data.preselected.is_none();
    // A Student-Teacher named in the URL but not (or no longer) bookable: back to choosing.
    let chosen = data
        .preselected
        .clone()
        .or_else(|| query.st.and_then(|id| data.teachers.iter().find(|t| t.st_id == id).cloned()));
    let current = if chosen.is_some() { step(data.preselected.as_ref().map(|t| t.st_id), &query) } else { Step::Teacher };
    let body = match (chosen, current) {
        (Some(teacher), Step::Date) => {
            let links = StepLinks::new(page.clone(), teacher.st_id);
            if query.this_week {
                view! { <WeekStep teacher can_change links page/> }.into_any()
            } else {
                view! { <DateStep teacher can_change links page month=query.month.clone()/> }.into_any()
            }
        }
        (Some(teacher), Step::Time) => {
            let links = StepLinks::new(page.clone(), teacher.st_id);
            let date = query.date.clone().unwrap_or_default();
            view! { <TimeStep teacher can_change links page date error=query.error.clone()/> }.into_any()
        }
        (Some(teacher), Step::Confirm) => {
            let links = StepLinks::new(page.clone(), teacher.st_id);
            let start = query.start.clone().unwrap_or_default();
            view! { <ConfirmStep teacher can_change links start error=query.error.clone()/> }.into_any()
        }
        _ => view! { <TeacherStep teachers=data.teachers.clone() course_id/> }.into_any(),
    };
    view! { <Progress current/> {body} }.into_any()
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
