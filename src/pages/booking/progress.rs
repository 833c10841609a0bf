use leptos::prelude::*;

use super::step::Step;

/// Where the student is in the wizard; on phones only the current step's name shows. Reactive,
/// for the calendar island that moves between steps 2 and 3 in the browser.
/// `aria-current` is on every step, "false" on all but one: the islands router patches
/// attributes of the next page in but never removes one.
#[component]
pub fn Progress(#[prop(into)] current: Signal<Step>) -> impl IntoView {
    view! {
        <ol class="progress" aria-label="Booking steps">
            {Step::ALL.into_iter().enumerate().map(|(i, step)| {
                let state = move || match step.cmp(&current.get()) {
                    std::cmp::Ordering::Less => "progress-step done",
                    std::cmp::Ordering::Equal => "progress-step current",
                    std::cmp::Ordering::Greater => "progress-step todo",
                };
                view! {
                    <li class=state aria-current=move || if step == current.get() { "step" } else { "false" }>
                        <span class="progress-index" aria-hidden="true">{i + 1}</span>
                        <span class="sr-only">{format!("Step {} of 4: ", i + 1)}</span>
                        <span class="progress-name">{step.label()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
