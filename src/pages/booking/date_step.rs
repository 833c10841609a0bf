use leptos::prelude::*;

use crate::{
    api::TeacherCard,
    components::{avatar::Avatar, teacher_meta::TeacherMeta},
};

/// Step 2: the chosen Student-Teacher, and the date picker (the calendar lands with the slot
/// engine's availability; until then this step says so).
#[component]
pub fn DateStep(teacher: TeacherCard, can_change: bool) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <div class="selected-teacher card">
                <a class="teacher-identity" href=format!("/student-teachers/{}", teacher.st_id)>
                    <Avatar avatar=teacher.avatar.clone()/>
                    <span class="teacher-name">{teacher.name.clone()}</span>
                </a>
                <TeacherMeta teacher=teacher.clone()/>
                {can_change.then(|| view! { <a class="btn btn-ghost btn-small" href="?">"Change"</a> })}
            </div>
            <h2 id="step-title">"Select a date"</h2>
            <p class="panel" role="status">"Choosing a date and time is coming soon. Until then, use Schedule Later and we will notify you."</p>
        </section>
    }
}
