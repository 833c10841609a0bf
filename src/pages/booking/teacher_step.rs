use leptos::{prelude::*, server_fn::ServerFn};

use super::schedule_later::ScheduleLaterOption;
use crate::{
    api::{booking::SelectStudentTeacher, TeacherCard},
    components::{post_form::PostForm, teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta},
};

/// Step 1: choose a Student-Teacher, or Schedule Later.
#[component]
pub fn TeacherStep(teachers: Vec<TeacherCard>, course_id: i32) -> impl IntoView {
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
                            // A post, so the choice is recorded once (`st_selected`) with or
                            // without JavaScript; the server then sends the browser to `?st=`.
                            <PostForm action=SelectStudentTeacher::PATH label="Select" busy_label="Selecting…"
                                aria_label=format!("Select {name}")>
                                <input type="hidden" name="st_id" value=st_id/>
                            </PostForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ScheduleLaterOption course_id/>
        </section>
    }
}
