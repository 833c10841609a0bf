use leptos::prelude::*;

use super::{links::StepLinks, time_step::TimeForm, SelectedTeacher};
use crate::{
    api::{wizard::load_week_times, TeacherCard},
    components::error_panel::ErrorPanel,
};

/// Step 2's "This Week": the next seven days' open times at a glance, each one bookable.
#[component]
pub fn WeekStep(teacher: TeacherCard, can_change: bool, links: StepLinks, page: String) -> impl IntoView {
    let st_id = teacher.st_id;
    let week = Resource::new(|| (), move |_| load_week_times(st_id));
    view! {
        <section aria-labelledby="step-title" class="step">
            <SelectedTeacher teacher can_change links=links.clone()/>
            <h2 id="step-title" tabindex="-1">"This Week"</h2>
            <a class="back-link" href=links.date()>"← Month calendar"</a>
            <Suspense fallback=|| view! { <p class="loading">"Loading this week…"</p> }>
                {move || {
                    let page = page.clone();
                    Suspend::new(async move {
                        match week.await {
                            Err(error) => view! { <ErrorPanel error/> }.into_any(),
                            Ok(days) if days.is_empty() => view! {
                                <p class="panel" role="status">"No open times in the next seven days."</p>
                            }.into_any(),
                            Ok(days) => days.into_iter().map(|day| {
                                let heading = format!("{} · {} min", day.date_label, day.session_minutes);
                                view! {
                                    <h3 class="week-day">{heading}</h3>
                                    <TimeForm slots=day.slots page=page.clone() st_id label=day.date_label/>
                                }
                            }).collect_view().into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
