use leptos::{prelude::*, server_fn::ServerFn};

use super::{SelectedTeacher, StepInputs};
use crate::{
    api::wizard::SelectTime,
    dto::{availability::SlotView, wizard::DayTimes, TeacherCard},
    error::AppError,
    urls::{urlencode, StepLinks},
};

/// Step 3: a date's times as large buttons, in the student's timezone. Times that clash with
/// the student's own sessions stay visible, disabled, with the reason.
#[component]
pub fn TimeStep(
    teacher: TeacherCard,
    can_change: bool,
    links: StepLinks,
    day: DayTimes,
    /// Why the student is back here: the booking found the chosen time taken.
    error: Option<AppError>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <SelectedTeacher teacher can_change links/>
            <h2 id="step-title" tabindex="-1">"Select a time"</h2>
            {error.map(|e| view! { <p class="panel panel-error" role="alert">{e.to_string()}</p> })}
            <TimeList day links/>
        </section>
    }
}

#[component]
fn TimeList(day: DayTimes, links: StepLinks) -> impl IntoView {
    let back = links.date();
    let settings = format!("/settings?next={}", urlencode(&links.time(&day.date)));
    let has_times = day.slots.iter().any(|s| s.bookable);
    view! {
        <p class="step-sub"><strong>{day.date_label.clone()}</strong> " · " {format!("{} min", day.session_minutes)}</p>
        <p class="timezone-note">"Times shown in " <a href=settings>{day.timezone_label.clone()}</a></p>
        {day.clock_changes.iter().map(|note| view! { <p class="panel" role="note">{note.clone()}</p> }).collect_view()}
        {(!has_times).then(|| view! { <p class="panel" role="status">"No open times on this date. Choose another date."</p> })}
        <TimeForm slots=day.slots links label="Start times".into()/>
        <a class="back-link" href=back>"← Choose another date"</a>
    }
}

/// Start times as buttons of one form that posts the choice (`select_time`).
#[component]
pub fn TimeForm(slots: Vec<SlotView>, links: StepLinks, label: String) -> impl IntoView {
    view! {
        <form method="post" action=SelectTime::PATH>
            <StepInputs links/>
            <ul class="time-grid" role="list" aria-label=label>
                {slots.into_iter().map(|time| view! { <li><TimeButton time/></li> }).collect_view()}
            </ul>
        </form>
    }
}

/// A start time's button; its name is its visible text ("6:30 AM to 7:30 AM", WCAG 2.5.3).
#[component]
fn TimeButton(time: SlotView) -> impl IntoView {
    let slot = time;
    if slot.bookable {
        view! {
            <button type="submit" name="start" value=slot.start class="time-slot">
                <span class="time-start">{slot.start_label.clone()}</span>
                " "
                <span class="time-end">{format!("to {}", slot.end_label)}</span>
            </button>
        }
        .into_any()
    } else {
        // Not a button at all: nothing to press, and the islands router replaces an element
        // whose tag changes where it would leave a stale `disabled` behind. Its text says why.
        view! {
            <p class="time-slot taken">
                <span class="time-start">{slot.start_label.clone()}</span>
                " "
                <span class="time-reason">{AppError::StudentConflict.to_string()}</span>
            </p>
        }
        .into_any()
    }
}
