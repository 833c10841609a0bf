//! `/settings`: the timezone times are shown in; `?next=` returns to the step the student left.
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::settings::{load_settings, SignOutOtherDevices, UpdateTimezone},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
    },
    urls::safe_next,
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| load_settings());
    let query = use_query_map();
    // Only a path on this site: the Back link and the forms' `next` alike.
    let next = move || safe_next(query.read().get("next").as_deref()).to_owned();
    let error = use_form_error(UpdateTimezone::PATH);
    let sign_out_error = use_form_error(SignOutOtherDevices::PATH);
    let signed_out = move || query.read().get("signed_out").and_then(|n| n.parse::<u64>().ok());
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
                            <section class="card stack" aria-labelledby="devices-title">
                                <h2 id="devices-title">"Devices"</h2>
                                {signed_out().map(|n| view! { <p class="notice" role="status">{devices_signed_out(n)}</p> })}
                                <p>{devices_signed_in(s.other_devices)}</p>
                                {(s.other_devices > 0).then(|| view! {
                                    <PostForm action=SignOutOtherDevices::PATH label="Sign out other devices" busy_label="Signing out…" button_class="btn btn-secondary">
                                        <input type="hidden" name="next" value=next()/>
                                    </PostForm>
                                })}
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FormError error/>
            <FormError error=sign_out_error/>
            <a class="back-link" href=next>"← Back"</a>
        </div>
    }
}

fn devices(n: u64) -> String {
    if n == 1 {
        "1 other device".into()
    } else {
        format!("{n} other devices")
    }
}

fn devices_signed_in(others: u64) -> String {
    match others {
        0 => "You are signed in on this device only.".into(),
        n => format!("You are also signed in on {}.", devices(n)),
    }
}

fn devices_signed_out(ended: u64) -> String {
    format!("Signed out of {}.", devices(ended))
}
