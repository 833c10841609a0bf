//! `/teach/schedule`: a Student-Teacher's weekly hours and time off, as plain forms.
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::schedule::{load_schedule, AddTimeOff, RemoveTimeOff, SaveWeeklyHours},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
    },
    dto::schedule::{Schedule, TimeOffView},
    error::AppError,
};

#[component]
pub fn SchedulePage() -> impl IntoView {
    let schedule = Resource::new(|| (), |_| load_schedule());
    view! {
        <Title text="Your hours and time off"/>
        <div class="page narrow">
            <h1 id="step-title" tabindex="-1">"Your hours and time off"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading your schedule…"</p> }>
                {move || Suspend::new(async move {
                    match schedule.await {
                        Err(error) => view! { <ErrorPanel error title="Your hours and time off"/> }.into_any(),
                        Ok(s) => view! { <ScheduleForms s/> }.into_any(),
                    }
                })}
            </Suspense>
            <a class="back-link" href="/teach">"← Your sessions"</a>
        </div>
    }
}

#[component]
fn ScheduleForms(s: Schedule) -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved");
    let saved = saved.as_deref().and_then(|what| match what {
        "hours" => Some("Your weekly hours are saved. Students see them now."),
        "time_off" => Some("Time off added. Students no longer see those times."),
        "removed" => Some("Time off removed."),
        _ => None,
    });
    view! {
        <p class="muted">{format!("Your hours and dates are in {}. Students see every change at once, in their own timezone.", s.timezone_label)}</p>
        {saved.map(|text| view! { <p class="notice" role="status">{text}</p> })}
        <WeeklyHours s=s.clone()/>
        <TimeOff s/>
    }
}

#[component]
fn WeeklyHours(s: Schedule) -> impl IntoView {
    let error = use_form_error(SaveWeeklyHours::PATH);
    // The day a refusal names is marked on its field too.
    let refused_day = move || match error.get() {
        Some(AppError::Hours(problem)) => Some(problem.day()),
        _ => None,
    };
    view! {
        <section id="hours" class="card stack" aria-labelledby="hours-title">
            <h2 id="hours-title">"Weekly hours"</h2>
            <PostForm action=SaveWeeklyHours::PATH label="Save weekly hours" busy_label="Saving…" form_class="stack">
                <label for="timezone">"Timezone"</label>
                <select id="timezone" name="timezone">
                    {s.choices.into_iter().map(|c| {
                        let selected = c.name == s.timezone;
                        view! { <option value=c.name.clone() selected=selected>{format!("{} · {}", c.label, c.name)}</option> }
                    }).collect_view()}
                </select>
                <p id="hours-hint" class="muted field-hint">
                    "Ranges such as 09:00–12:00, separated by commas; 24:00 ends a day. Leave a day empty when you do not teach."
                </p>
                <div class="week-hours">
                    {s.days.into_iter().map(|d| {
                        let id = format!("hours-{}", d.name.to_lowercase());
                        let invalid = move || (refused_day() == Some(d.day)).then_some("true");
                        view! {
                            <div class="day-hours">
                                <label for=id.clone()>{d.name.clone()}</label>
                                <input type="text" id=id name=d.name.to_lowercase() value=d.ranges autocomplete="off"
                                    placeholder="Not teaching" aria-describedby="hours-hint" aria-invalid=invalid/>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </PostForm>
            <FormError error/>
        </section>
    }
}

#[component]
fn TimeOff(s: Schedule) -> impl IntoView {
    let error = use_form_error(AddTimeOff::PATH);
    let remove_error = use_form_error(RemoveTimeOff::PATH);
    view! {
        <section id="time-off" class="card stack" aria-labelledby="time-off-title">
            <h2 id="time-off-title">"Time off"</h2>
            {(!s.clashes.is_empty()).then(|| view! {
                <div class="panel panel-warning" role="note">
                    <p>"These sessions fall in your time off. They stay booked until you cancel them, and a cancel tells the student."</p>
                    <ul class="clash-list" role="list">
                        {s.clashes.iter().map(|c| view! {
                            <li>
                                {format!("{}, {} · {} with {} ", c.date_label, c.time_label, c.course_title, c.student_name)}
                                <a href=format!("/sessions/{}/cancel", c.id)
                                    aria-label=format!("Cancel {} with {}, {}", c.course_title, c.student_name, c.date_label)>"Cancel"</a>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {if s.time_off.is_empty() {
                view! { <p class="empty">"No time off planned."</p> }.into_any()
            } else {
                view! {
                    <ul class="list" role="list">
                        {s.time_off.into_iter().map(|entry| view! { <TimeOffItem entry/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormError error=remove_error/>
            <h3>"Add time off"</h3>
            <PostForm action=AddTimeOff::PATH label="Add time off" busy_label="Adding…" form_class="stack">
                <div class="field-pair">
                    <div class="stack">
                        <label for="off-from">"First day"</label>
                        <input type="date" id="off-from" name="from" min=s.today.clone() required/>
                    </div>
                    <div class="stack">
                        <label for="off-to">"Last day"</label>
                        <input type="date" id="off-to" name="to" min=s.today aria-describedby="off-to-hint"/>
                    </div>
                </div>
                <p id="off-to-hint" class="muted field-hint">"Leave the last day empty for a single day."</p>
                <fieldset class="stack">
                    <legend>"Teach only some hours that day (optional)"</legend>
                    <p id="keep-hint" class="muted field-hint">"For a single day: these hours replace your weekly ones. Leave empty to take the whole day off."</p>
                    <div class="field-pair">
                        <div class="stack">
                            <label for="off-start">"From"</label>
                            <input type="time" id="off-start" name="start" aria-describedby="keep-hint"/>
                        </div>
                        <div class="stack">
                            <label for="off-end">"Until"</label>
                            <input type="time" id="off-end" name="end" aria-describedby="keep-hint"/>
                        </div>
                    </div>
                </fieldset>
            </PostForm>
            <FormError error/>
        </section>
    }
}

#[component]
fn TimeOffItem(entry: TimeOffView) -> impl IntoView {
    let what = match &entry.hours_label {
        Some(hours) => format!("{}, {}", entry.dates_label, hours.to_lowercase()),
        None => entry.dates_label.clone(),
    };
    view! {
        <li class="list-item">
            <div>
                <p class="strong">{entry.dates_label.clone()}</p>
                <p class="muted">{entry.hours_label.unwrap_or_else(|| "Whole days off".into())}</p>
            </div>
            <PostForm action=RemoveTimeOff::PATH label="Remove" busy_label="Removing…" button_class="btn btn-ghost"
                aria_label=format!("Remove time off: {what}")>
                <input type="hidden" name="id" value=entry.id/>
            </PostForm>
        </li>
    }
}
