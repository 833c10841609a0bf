use leptos::prelude::*;

use super::{calendar::MonthCalendar, links::StepLinks, SelectedTeacher};
use crate::{
    api::{wizard::load_month_days, TeacherCard},
    components::error_panel::ErrorPanel,
};

/// Step 2: a month calendar of the days with open times, "Next Available" and "This Week".
#[component]
pub fn DateStep(teacher: TeacherCard, can_change: bool, links: StepLinks, page: String, month: Option<String>) -> impl IntoView {
    let st_id = teacher.st_id;
    let days = Resource::new(move || month.clone(), move |month| load_month_days(st_id, month));
    view! {
        <section aria-labelledby="step-title" class="step">
            <SelectedTeacher teacher can_change links=links.clone()/>
            <h2 id="step-title" tabindex="-1">"Select a date"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading dates…"</p> }>
                {move || {
                    let (links, page) = (links.clone(), page.clone());
                    Suspend::new(async move {
                        match days.await {
                            Err(error) => view! { <ErrorPanel error/> }.into_any(),
                            Ok(month) => view! {
                                <div class="quick-options">
                                    {match &month.next_available {
                                        Some(next) => view! {
                                            <a class="btn btn-secondary" href=links.time(&next.local_date)>
                                                "Next Available: " {next_label(&next.local_date, &next.start_label)}
                                            </a>
                                        }.into_any(),
                                        None => view! { <p class="panel" role="status">"No open times in the next weeks. Try another Student-Teacher or Schedule Later."</p> }.into_any(),
                                    }}
                                    <a class="btn btn-ghost" href=links.this_week()>"This Week"</a>
                                </div>
                                <p class="muted timezone-note">"Dates are in " {month.timezone_label.clone()} "."</p>
                                <MonthCalendar month links page st_id selected=None/>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// "Tue, Dec 1 at 9:00 AM" from a `YYYY-MM-DD` date and a time label.
fn next_label(date: &str, time: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| format!("{} at {time}", d.format("%a, %b %-d")))
        .unwrap_or_else(|_| format!("{date} at {time}"))
}
