//! Keeps step 4's time held while the step is open (docs/booking-contract.md §9): the page
//! placed the hold; this island renews it halfway through each term and ends it once the
//! student has left the step. Without JavaScript the hold simply runs its term.
use leptos::{prelude::*, task::spawn_local};
use std::time::Duration;

use super::calls;
use crate::{
    error::{AppError, SLOT_UNAVAILABLE, STUDENT_CONFLICT},
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
                let answer = calls::hold(links, &start.get_value()).await;
                note.set(match answer {
                    Ok(held) => held_words(held.hold_seconds),
                    Err(AppError::SlotUnavailable) => SLOT_UNAVAILABLE.to_owned(),
                    Err(AppError::StudentConflict) => STUDENT_CONFLICT.to_owned(),
                    // Offline for a moment: the hold may end, and booking still checks the time.
                    Err(_) => "This time could not be held just now. Booking still checks that it is free.".to_owned(),
                });
            })
        };
        let left = move || {
            if root.get_untracked().is_some_and(|p| p.is_connected()) {
                return;
            }
            timers.update_value(|t| t.drain(..).for_each(|h| h.clear()));
            calls::release(start.get_value());
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
