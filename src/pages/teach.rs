//! `/teach`: where a Student-Teacher lands, with whom they teach and when, and a way to cancel.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::teaching::load_teaching, components::error_panel::ErrorPanel, dto::teaching::TaughtSession};

#[component]
pub fn TeachPage() -> impl IntoView {
    let teaching = Resource::new(|| (), |_| load_teaching());
    view! {
        <Title text="Your sessions"/>
        <div class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading your sessions…"</p> }>
                {move || Suspend::new(async move {
                    match teaching.await {
                        Err(error) => view! { <ErrorPanel error title="Your sessions"/> }.into_any(),
                        Ok(t) => {
                            let first_name = t.name.split_whitespace().next().unwrap_or_default().to_owned();
                            view! {
                                <h1>{format!("Welcome back, {first_name}")}</h1>
                                <p class="muted">{format!("Times are shown in {}.", t.timezone_label)}</p>
                                <p class="teach-links">
                                    <a class="btn btn-secondary" href="/teach/schedule#hours">"Weekly hours"</a>
                                    <a class="btn btn-secondary" href="/teach/schedule#time-off">"Time off"</a>
                                </p>
                                {clashes(t.upcoming.iter().filter(|s| s.in_time_off).count())}
                                <section aria-labelledby="upcoming-title" class="dash-section">
                                    <h2 id="upcoming-title">"Upcoming sessions"</h2>
                                    <SessionList sessions=t.upcoming empty="No sessions booked with you yet." upcoming=true/>
                                </section>
                                <section aria-labelledby="recent-title" class="dash-section">
                                    <h2 id="recent-title">"The last four weeks"</h2>
                                    <SessionList sessions=t.recent empty="No sessions in the last four weeks." upcoming=false/>
                                </section>
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SessionList(sessions: Vec<TaughtSession>, empty: &'static str, upcoming: bool) -> impl IntoView {
    if sessions.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="list" role="list">
            {sessions.into_iter().map(|s| {
                let what = format!("{} with {}", s.course_title, s.student_name);
                view! {
                    <li class="list-item">
                        <div>
                            <p class="strong">
                                <a href=format!("/sessions/{}", s.id) aria-label=format!("{}, {}, {}", s.student_name, s.course_title, s.date_label)>
                                    {s.student_name.clone()}
                                </a>
                            </p>
                            <p class="muted">{s.course_title.clone()}</p>
                            {s.in_time_off.then(|| view! { <p><span class="badge-warning">"In your time off"</span></p> })}
                            {(!s.note.is_empty()).then(|| view! { <p class="session-note">{format!("“{}”", s.note)}</p> })}
                            {s.video_url.filter(|_| upcoming).map(|url| view! {
                                <a class="video-link" href=url target="_blank" rel="noopener external"
                                    aria-label=format!("Join video room for {what}")>"Join video room"</a>
                            })}
                        </div>
                        <div class="align-end">
                            <p>{s.date_label}</p>
                            <p class="muted">{s.time_label}</p>
                            {s.student_time.map(|t| view! { <p class="muted">{t}</p> })}
                            {(upcoming && !s.started).then(|| view! {
                                <p class="session-actions">
                                    <a href=format!("/sessions/{}/cancel", s.id) aria-label=format!("Cancel {what}")>"Cancel"</a>
                                </p>
                            })}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Upcoming sessions that time off taken later falls on: booked still, until cancelled.
fn clashes(count: usize) -> Option<impl IntoView> {
    let what = if count == 1 { "1 upcoming session falls".to_owned() } else { format!("{count} upcoming sessions fall") };
    (count > 0).then(|| {
        view! {
            <p class="panel panel-warning" role="note">
                {format!("{what} in your time off. Cancel or keep each one; a cancel tells the student.")}
            </p>
        }
    })
}
