use leptos::{prelude::*, server_fn::ServerFn};

use super::{next_label, schedule_later::ScheduleLaterOption};
use crate::{
    api::booking::SelectStudentTeacher,
    components::{post_form::PostForm, teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta},
    dto::{availability::SlotView, TeacherCard},
};

/// Step 1: choose a Student-Teacher, seeing when each is next free, or Schedule Later.
#[component]
pub fn TeacherStep(teachers: Vec<TeacherCard>, course_id: i32, next_times: Vec<SlotView>) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <h2 id="step-title" tabindex="-1">"Choose a Student-Teacher"</h2>
            <ul class="card-grid" role="list">
                {teachers.into_iter().map(|t| {
                    let next = next_times.iter().find(|s| s.st_id == t.st_id).cloned();
                    view! { <TeacherChoice teacher=t next/> }
                }).collect_view()}
            </ul>
            <ScheduleLaterOption course_id/>
        </section>
    }
}

#[component]
fn TeacherChoice(teacher: TeacherCard, next: Option<SlotView>) -> impl IntoView {
    let st_id = teacher.st_id;
    let name = teacher.name.clone();
    let next = match next {
        Some(slot) => format!("Next available: {}", next_label(&slot.local_date, &slot.start_label)),
        None => "No open times in the next weeks".to_owned(),
    };
    view! {
        <li class="card teacher-card">
            <TeacherIdentity teacher=teacher.clone()/>
            <TeacherMeta teacher/>
            <p class="next-time">{next}</p>
            // A post, so the choice is recorded once (`st_selected`) with or without
            // JavaScript; the server then sends the browser to `?st=`.
            <PostForm action=SelectStudentTeacher::PATH label="Select" busy_label="Selecting…" aria_label=format!("Select {name}")>
                <input type="hidden" name="st_id" value=st_id.to_string()/>
            </PostForm>
        </li>
    }
}
