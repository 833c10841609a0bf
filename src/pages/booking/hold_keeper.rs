//! Keeps step 4's time held while the step is open (docs/booking-contract.md §9): the page
//! placed the hold; this island renews it halfway through each term and ends it once the
//! student has left the step. Without JavaScript the hold simply runs its term.
use leptos::{prelude::*, task::spawn_local};
use std::time::Duration;

use crate::{
    api::wizard::{hold_time, release_hold},
    urls::StepLinks,
};

#[island]
pub fn HoldKeeper(links: StepLinks, start: String, hold_seconds: i64) -> impl IntoView {
    let note = RwSignal::new(held_words(hold_seconds));
    let root = NodeRef::<leptos::html::P>::new();
    let timers = StoredValue::new(Vec::<IntervalHandle>::new());
    let start = StoredValue::new(start);
    Effect::new(move |_| {
        let renew = move || {
            spawn_local(async move {
                let answer = hold_time(links.st_id(), start.get_value(), links.reschedule()).await;
                note.set(match answer {
                    Ok(held) => held_words(held.hold_seconds),
                    Err(error) => error.to_string(),
                });
            })
        };
        let left = move || {
            if root.get_untracked().is_some_and(|p| p.is_connected()) {
                return;
            }
            timers.update_value(|t| t.drain(..).for_each(|h| h.clear()));
            spawn_local(async move {
                let _ = release_hold(Some(start.get_value())).await;
            });
        };
        let renew_every = Duration::from_secs(u64::try_from(hold_seconds / 2).unwrap_or(0).max(1));
        let handles = [set_interval_with_handle(renew, renew_every), set_interval_with_handle(left, Duration::from_secs(1))];
        timers.update_value(|t| t.extend(handles.into_iter().flatten()));
    });
    view! { <p class="muted hold-note" role="status" node_ref=root>{move || note.get()}</p> }
}

/// "This time is held for you for 5 minutes while you confirm."
fn held_words(seconds: i64) -> String {
    match (seconds + 30) / 60 {
        0 | 1 => "This time is held for you for a minute while you confirm.".to_owned(),
        minutes => format!("This time is held for you for {minutes} minutes while you confirm."),
    }
}
