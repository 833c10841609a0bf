use leptos::prelude::*;
use leptos_meta::Title;

use crate::{api::dashboard::load_dashboard, components::error_panel::ErrorPanel};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="Dashboard"/>
        <div class="page">
            <Transition fallback=|| view! { <p class="loading" aria-live="polite">"Loading your dashboard…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Err(error) => view! { <ErrorPanel error title="Dashboard"/> }.into_any(),
                        Ok(d) => {
                            let first_name = d.student_name.split_whitespace().next().unwrap_or_default().to_owned();
                            view! {
                                <h1>{format!("Welcome back, {first_name}")}</h1>
                                <p class="muted">{format!("Times are shown in {}.", d.timezone)}</p>

                                <section aria-labelledby="courses-title" class="dash-section">
                                    <h2 id="courses-title">"Your courses"</h2>
                                    {if d.courses.is_empty() {
                                        view! { <p class="empty">"You are not enrolled in any course yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="card-grid" role="list">
                                                {d.courses.into_iter().map(|c| view! {
                                                    <li class="card course-card">
                                                        <h3><a href=format!("/courses/{}", c.course.id)>{c.course.title.clone()}</a></h3>
                                                        <p class="muted">{format!("{} min sessions · {}", c.course.session_minutes, c.allowance.words(c.course.session_price.as_deref()))}</p>
                                                        <a class="btn btn-primary" href=format!("/courses/{}/book", c.course.id)
                                                            aria-label=format!("Book Session for {}", c.course.title)>"Book Session"</a>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>

                                <section aria-labelledby="upcoming-title" class="dash-section">
                                    <h2 id="upcoming-title">"Upcoming sessions"</h2>
                                    {if d.upcoming.is_empty() {
                                        view! { <p class="empty">"No sessions booked yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="list" role="list">
                                                {d.upcoming.into_iter().map(|s| {
                                                    let join = format!("Join video room for {} with {}", s.course_title, s.teacher_name);
                                                    view! {
                                                    <li class=if s.cancellation.is_some() { "list-item is-cancelled" } else { "list-item" }>
                                                        <div>
                                                            <p class="strong">
                                                                <a href=format!("/sessions/{}", s.id) aria-label=format!("{} with {}, {}", s.course_title, s.teacher_name, s.date_label)>
                                                                    {s.course_title.clone()}
                                                                </a>
                                                            </p>
                                                            <p class="muted">{format!("with {}", s.teacher_name.clone())}</p>
                                                            {s.cancellation.clone().map(|c| view! {
                                                                <p><span class="badge-danger">{format!("Cancelled by {}", c.by)}</span></p>
                                                                {c.reason.map(|r| view! { <p class="muted">{format!("Reason: {r}")}</p> })}
                                                            })}
                                                            {s.video_url.map(|url| view! {
                                                                <a class="video-link" href=url target="_blank" rel="noopener external"
                                                                    aria-label=join>"Join video room"</a>
                                                            })}
                                                        </div>
                                                        <div class="align-end">
                                                            <p>{s.date_label}</p>
                                                            <p class="muted">{s.time_label}</p>
                                                            {(!s.started && s.cancellation.is_none()).then(|| {
                                                                let what = format!("{} with {}", s.course_title, s.teacher_name);
                                                                view! {
                                                                    <p class="session-actions">
                                                                        {s.reschedule_url.map(|url| view! {
                                                                            <a href=url aria-label=format!("Reschedule {what}")>"Reschedule"</a>
                                                                        })}
                                                                        <a href=format!("/sessions/{}/cancel", s.id) aria-label=format!("Cancel {what}")>"Cancel"</a>
                                                                    </p>
                                                                }
                                                            })}
                                                        </div>
                                                    </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>

                                <section aria-labelledby="requests-title" class="dash-section">
                                    <h2 id="requests-title">"Waiting to schedule"</h2>
                                    {if d.requests.is_empty() {
                                        view! { <p class="empty">"No open Schedule Later requests."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="list" role="list">
                                                {d.requests.into_iter().map(|r| view! {
                                                    <li class="list-item">
                                                        <div>
                                                            <p class="strong">{r.course.title.clone()}</p>
                                                            <p class="muted">{format!("Schedule Later requested on {}", r.requested_on)}</p>
                                                        </div>
                                                        <a class="btn btn-secondary" href=format!("/courses/{}/book", r.course.id)
                                                            aria-label=format!("Schedule now for {}", r.course.title)>"Schedule now"</a>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}
