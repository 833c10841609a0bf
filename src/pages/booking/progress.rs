use leptos::prelude::*;

use super::step::Step;

/// Where the student is in the wizard; on phones only the current step's name shows.
/// `aria-current` is on every step, "false" on all but one: the islands router patches
/// attributes of the next page in but never removes one.
#[component]
pub fn Progress(current: Step) -> impl IntoView {
    view! {
        <ol class="progress" aria-label="Booking steps">
            {Step::ALL.into_iter().enumerate().map(|(i, step)| {
                let state = match step.cmp(&current) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "current",
                    std::cmp::Ordering::Greater => "todo",
                };
                view! {
                    <li class=format!("progress-step {state}") aria-current=if step == current { "step" } else { "false" }>
                        <span class="progress-index" aria-hidden="true">{i + 1}</span>
                        <span class="sr-only">{format!("Step {} of 4: ", i + 1)}</span>
                        <span class="progress-name">{step.label()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
