use leptos::prelude::*;

use super::{
    time_step::{TimeChoice, TimeForm},
    SelectedTeacher,
};
use crate::{
    dto::{wizard::DayTimes, TeacherCard},
    urls::StepLinks,
};

/// Step 2's "This Week": the next seven days' open times at a glance, each one bookable.
#[component]
pub fn WeekStep(teacher: TeacherCard, can_change: bool, links: StepLinks, days: Vec<DayTimes>) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <SelectedTeacher teacher can_change links/>
            <h2 id="step-title" tabindex="-1">"This Week"</h2>
            <a class="back-link" href=links.date()>"← Month calendar"</a>
            {if days.is_empty() {
                view! { <p class="panel" role="status">"No open times in the next seven days."</p> }.into_any()
            } else {
                days.into_iter().map(|day| {
                    let heading = format!("{} · {} min", day.date_label, day.session_minutes);
                    view! {
                        <h3 class="week-day">{heading}</h3>
                        <TimeForm times=Signal::stored(TimeChoice::listed(&day.slots)) links label=day.date_label/>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}
