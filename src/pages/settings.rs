//! `/settings`: the timezone times are shown in; `?next=` returns to the step the student left.
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::settings::{load_settings, UpdateTimezone},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
    },
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| load_settings());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/dashboard".into());
    let error = use_form_error(UpdateTimezone::PATH);
    view! {
        <Title text="Settings"/>
        <div class="page narrow">
            <h1 id="step-title" tabindex="-1">"Settings"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                        Ok(s) => view! {
                            <PostForm action=UpdateTimezone::PATH label="Save timezone" busy_label="Saving…" form_class="stack card">
                                <input type="hidden" name="next" value=next()/>
                                <label for="timezone">"Timezone"</label>
                                <select id="timezone" name="timezone" aria-describedby="timezone-hint">
                                    {s.choices.into_iter().map(|c| {
                                        let selected = c.name == s.timezone;
                                        view! { <option value=c.name.clone() selected=selected>{format!("{} · {}", c.label, c.name)}</option> }
                                    }).collect_view()}
                                </select>
                                <p id="timezone-hint" class="muted field-hint">"Booking times, the dashboard and emails use this timezone."</p>
                            </PostForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FormError error/>
            <a class="back-link" href=next>"← Back"</a>
        </div>
    }
}
