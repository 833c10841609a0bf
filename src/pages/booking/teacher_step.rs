use leptos::prelude::*;

use super::schedule_later::ScheduleLaterOption;
use crate::{
    api::{booking::RecordStSelected, TeacherCard},
    components::{teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta},
};

/// Step 1: choose a Student-Teacher, or Schedule Later.
#[component]
pub fn TeacherStep(teachers: Vec<TeacherCard>, course_id: i32) -> impl IntoView {
    let record = ServerAction::<RecordStSelected>::new();
    view! {
        <section aria-labelledby="step-title" class="step">
            <h2 id="step-title" tabindex="-1">"Choose a Student-Teacher"</h2>
            <ul class="card-grid" role="list">
                {teachers.into_iter().map(|t| {
                    let st_id = t.st_id;
                    let name = t.name.clone();
                    view! {
                        <li class="card teacher-card">
                            <TeacherIdentity teacher=t.clone()/>
                            <TeacherMeta teacher=t.clone()/>
                            // A link, so choosing works before hydration and without JavaScript.
                            <a class="btn btn-primary" href=format!("?st={st_id}") aria-label=format!("Select {name}")
                                on:click=move |_| { record.dispatch(RecordStSelected { st_id }); }>
                                "Select"
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ScheduleLaterOption course_id/>
        </section>
    }
}
