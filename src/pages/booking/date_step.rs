use leptos::{either::Either, prelude::*, server_fn::ServerFn};

use super::{calendar::MonthCalendar, next_label, StepInputs};
use crate::{api::wizard::SelectDate, dto::wizard::MonthDays, urls::StepLinks};

/// Step 2: a month calendar of the days with open times, "Next Available" and "This Week".
#[component]
pub fn DateChoices(
    links: StepLinks,
    month: MonthDays,
    /** The date chosen before, marked in the grid. */
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <h2 id="step-title" tabindex="-1">"Select a date"</h2>
        <div class="quick-options">
            // A post like a calendar day, so `date_selected` is recorded for it too.
            {match &month.next_available {
                Some(next) => Either::Left(view! {
                    <form method="post" action=SelectDate::PATH>
                        <StepInputs links/>
                        <button type="submit" name="date" value=next.date.clone() class="btn btn-secondary">
                            "Next Available: " {next_label(&next.date, &next.time.start_label)}
                        </button>
                    </form>
                }),
                None => Either::Right(view! { <p class="panel" role="status">"No open times in the next weeks. Try another Student-Teacher or Schedule Later."</p> }),
            }}
            <a class="btn btn-ghost" href=links.this_week()>"This Week"</a>
        </div>
        <p class="muted timezone-note">"Dates are in " {month.timezone_label.clone()} "."</p>
        <MonthCalendar month links selected/>
    }
}
