use leptos::prelude::*;

use crate::{
    api::TeacherCard,
    components::{teacher_identity::TeacherIdentity, teacher_meta::TeacherMeta},
};

/// Step 2: the chosen Student-Teacher, and the date picker (the calendar is the next piece of
/// work; until then this step says so).
#[component]
pub fn DateStep(teacher: TeacherCard, can_change: bool) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <div class="selected-teacher card">
                <TeacherIdentity teacher=teacher.clone()/>
                <TeacherMeta teacher=teacher.clone()/>
                {can_change.then(|| view! { <a class="btn btn-ghost btn-small" href="?" aria-label="Change Student-Teacher">"Change"</a> })}
            </div>
            <h2 id="step-title" tabindex="-1">"Select a date"</h2>
            <p class="panel" role="status">"Choosing a date and time is coming soon. Until then, use Schedule Later and we will notify you."</p>
        </section>
    }
}
