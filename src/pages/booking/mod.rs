//! The booking page (spec SBOK): `/courses/{course_id}/book` and `/book/{st_id}`. Wizard state
//! lives in the URL (`?st=`), so refresh, back button, deep links and SSR agree.
pub mod date_step;
pub mod progress;
pub mod schedule_later;
pub mod teacher_step;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::booking::{load_booking_page, BookingPage},
    components::{error_panel::ErrorPanel, use_id_param},
    error::AppError,
};
use date_step::DateStep;
use progress::{Progress, Step};
use schedule_later::ScheduleLaterOption;
use teacher_step::TeacherStep;

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
    let page = Resource::new(
        move || (course_id.get(), st_id.get()),
        |(course_id, st_id)| async move {
            if course_id.is_none() && st_id.is_none() {
                return Err(AppError::NotFound("Course".into()));
            }
            load_booking_page(course_id, st_id).await
        },
    );
    let query = use_query_map();
    let chosen_st = Signal::derive(move || query.read().get("st").and_then(|v| v.parse::<i32>().ok()));

    view! {
        <Title text="Book a Session"/>
        <div class="page booking">
            <Transition fallback=|| view! { <BookingHeader course=None/><p class="loading">"Loading Student-Teachers…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <BookingHeader course=None/><ErrorPanel error/> }.into_any(),
                        Ok(data) => view! {
                            <BookingHeader course=Some((data.course.id, data.course.title.clone()))/>
                            <Wizard data chosen_st/>
                        }.into_any(),
                    }
                })}
            </Transition>
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
fn Wizard(data: BookingPage, chosen_st: Signal<Option<i32>>) -> impl IntoView {
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
    let preselected = data.preselected.clone();
    let teachers = data.teachers.clone();
    view! {
        {move || {
            let selected = preselected.clone().or_else(|| {
                chosen_st.get().and_then(|id| teachers.iter().find(|t| t.st_id == id).cloned())
            });
            match selected {
                Some(teacher) => view! {
                    <Progress current=Step::Date/>
                    <DateStep teacher can_change=data.preselected.is_none()/>
                }.into_any(),
                None => view! {
                    <Progress current=Step::Teacher/>
                    <TeacherStep teachers=data.teachers.clone() course_id/>
                }.into_any(),
            }
        }}
    }
    .into_any()
}
