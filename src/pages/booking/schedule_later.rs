use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

use crate::{
    api::booking::{load_schedule_later, ScheduleLater},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
        use_resource_by_id,
    },
    error::Subject,
};

/// The "Schedule Later" choice (CD-033): skip choosing a Student-Teacher and time now.
/// A plain form post, so it works without JavaScript too.
#[component]
pub fn ScheduleLaterOption(course_id: i32) -> impl IntoView {
    let error = use_form_error(ScheduleLater::PATH);
    view! {
        <div class="card schedule-later">
            <div>
                <h3>"Not ready to pick a time?"</h3>
                <p class="muted">"Schedule Later and we'll match you with a Student-Teacher when you're ready."</p>
            </div>
            <PostForm action=ScheduleLater::PATH label="Schedule Later" busy_label="Saving…" button_class="btn btn-secondary">
                <input type="hidden" name="course_id" value=course_id/>
            </PostForm>
            <FormError error/>
        </div>
    }
}

/// `/courses/{course_id}/book/later`: the confirmation after Schedule Later.
#[component]
pub fn ScheduleLaterDone() -> impl IntoView {
    let confirmation = use_resource_by_id("course_id", Subject::Course, load_schedule_later);
    view! {
        <Title text="Schedule Later"/>
        <div class="page narrow">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match confirmation.await {
                        Err(error) => view! { <ErrorPanel error title="Schedule Later"/> }.into_any(),
                        Ok(c) => view! {
                            <section class="confirmation" aria-labelledby="later-title">
                                <div class="confirmation-icon" aria-hidden="true">"✓"</div>
                                <p class="muted">{c.course.title}</p>
                                <h1 id="later-title">"We'll notify you when you're ready to schedule"</h1>
                                <p>"You can schedule anytime from your dashboard"</p>
                                <a class="btn btn-primary" href="/dashboard">"Continue to Dashboard"</a>
                            </section>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
