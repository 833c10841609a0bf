use leptos::{either::Either, prelude::*, server_fn::ServerFn};

use super::StepInputs;
use crate::{
    api::wizard::SelectTime,
    dto::wizard::{DayTime, DayTimes},
    error::STUDENT_CONFLICT,
    urls::{urlencode, StepLinks},
};

/// How a start time shows on step 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeState {
    Open,
    /// It clashes with one of the student's own sessions.
    YouAreBusy,
    /// It was open when shown, and someone has since booked or held it (docs/booking-contract.md
    /// §9): it stays where it was, marked, rather than vanishing under the student's finger.
    JustTaken,
}

impl TimeState {
    fn reason(self) -> Option<&'static str> {
        match self {
            TimeState::Open => None,
            TimeState::YouAreBusy => Some(STUDENT_CONFLICT),
            // Short, for a tile; the live region says which time it was.
            TimeState::JustTaken => Some("Just taken by someone else"),
        }
    }
}

/// A start time as step 3 lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChoice {
    pub slot: DayTime,
    pub state: TimeState,
}

impl TimeChoice {
    /// A date's times as the server listed them.
    pub fn listed(slots: &[DayTime]) -> Vec<TimeChoice> {
        slots
            .iter()
            .map(|slot| TimeChoice { slot: slot.clone(), state: if slot.bookable { TimeState::Open } else { TimeState::YouAreBusy } })
            .collect()
    }

    /// The times on screen after a fresh list of the same date arrived: times listed again as
    /// they are now, times open before and gone now kept as just taken, in time order. Answers
    /// them with the times that were open and are taken now.
    pub fn refreshed(shown: &[TimeChoice], fresh: &[DayTime]) -> (Vec<TimeChoice>, Vec<TimeChoice>) {
        let mut now = TimeChoice::listed(fresh);
        let mut taken = Vec::new();
        for before in shown.iter().filter(|t| t.state != TimeState::YouAreBusy) {
            if now.iter().any(|t| t.slot.start == before.slot.start) {
                continue;
            }
            let kept = TimeChoice { slot: before.slot.clone(), state: TimeState::JustTaken };
            if before.state == TimeState::Open {
                taken.push(kept.clone());
            }
            now.push(kept);
        }
        now.sort_by(|a, b| a.slot.start.cmp(&b.slot.start));
        (now, taken)
    }
}

/// Step 3: a date's times as large buttons, in the student's timezone. Times that clash with
/// the student's own sessions, or were taken while shown, stay visible, marked, with the reason.
#[component]
pub fn TimeChoices(
    links: StepLinks,
    day: DayTimes,
    #[prop(into)] times: Signal<Vec<TimeChoice>>,
    /// Why the student is back here (the booking found the chosen time taken), in words.
    error: Option<String>,
) -> impl IntoView {
    let settings = format!("/settings?next={}", urlencode(&links.time(&day.date)));
    let has_times = move || times.with(|t| t.iter().any(|t| t.state == TimeState::Open));
    view! {
        <h2 id="step-title" tabindex="-1">"Select a time"</h2>
        {error.map(|e| view! { <p class="panel panel-error" role="alert">{e}</p> })}
        <p class="step-sub"><strong>{day.date_label.clone()}</strong> " · " {format!("{} min", day.session_minutes)}</p>
        <p class="timezone-note">"Times shown in " <a href=settings>{day.timezone_label.clone()}</a></p>
        {day.clock_changes.iter().map(|note| view! { <p class="panel" role="note">{note.clone()}</p> }).collect_view()}
        <p class="panel" role="status" hidden=has_times>"No open times on this date. Choose another date."</p>
        <TimeForm times links label="Start times".into()/>
        <a class="back-link" href=links.month_of(&day.date) data-back-to-date="">"← Choose another date"</a>
    }
}

/// Start times as buttons of one form that posts the choice (`select_time`). Drawn again whole
/// when they change (a keyed list would cost the bundle more than it saves).
#[component]
pub fn TimeForm(#[prop(into)] times: Signal<Vec<TimeChoice>>, links: StepLinks, label: String) -> impl IntoView {
    view! {
        <form method="post" action=SelectTime::PATH>
            <StepInputs links/>
            <ul class="time-grid" role="list" aria-label=label>
                {move || times.get().into_iter().map(|time| view! { <li><TimeButton time/></li> }).collect_view()}
            </ul>
        </form>
    }
}

/// A start time's button; its name is its visible text ("6:30 AM to 7:30 AM", WCAG 2.5.3).
#[component]
fn TimeButton(time: TimeChoice) -> impl IntoView {
    let TimeChoice { slot, state } = time;
    match state.reason() {
        None => Either::Left(view! {
            <button type="submit" name="start" value=slot.start class="time-slot">
                <span class="time-start">{slot.start_label.clone()}</span>
                " "
                <span class="time-end">{format!("to {}", slot.end_label)}</span>
            </button>
        }),
        // Not a button at all: nothing to press. Its text says why.
        Some(reason) => Either::Right(view! {
            <p class=if state == TimeState::JustTaken { "time-slot taken just-taken" } else { "time-slot taken" }>
                <span class="time-start">{slot.start_label.clone()}</span>
                " "
                <span class="time-reason">{reason}</span>
            </p>
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(start: &str, bookable: bool) -> DayTime {
        DayTime { start: start.into(), start_label: start.into(), end_label: "later".into(), bookable }
    }

    fn states(times: &[TimeChoice]) -> Vec<(&str, TimeState)> {
        times.iter().map(|t| (t.slot.start.as_str(), t.state)).collect()
    }

    #[test]
    fn a_time_taken_while_shown_stays_in_place_marked() {
        let shown = TimeChoice::listed(&[slot("09", true), slot("10", true), slot("11", false), slot("12", true)]);
        let (now, taken) = TimeChoice::refreshed(&shown, &[slot("09", true), slot("11", false), slot("12", true)]);
        use TimeState::*;
        assert_eq!(states(&now), [("09", Open), ("10", JustTaken), ("11", YouAreBusy), ("12", Open)]);
        assert_eq!(states(&taken), [("10", JustTaken)]);
        // Heard again, a time already marked is not announced twice; a freed time comes back.
        let (again, taken) = TimeChoice::refreshed(&now, &[slot("09", true), slot("11", false), slot("12", true)]);
        assert_eq!(again, now);
        assert!(taken.is_empty());
        let (freed, _) = TimeChoice::refreshed(&now, &[slot("09", true), slot("10", true), slot("11", false), slot("12", true)]);
        assert_eq!(states(&freed), [("09", Open), ("10", Open), ("11", YouAreBusy), ("12", Open)]);
    }

    #[test]
    fn a_time_that_now_clashes_with_the_students_own_session_says_so() {
        let shown = TimeChoice::listed(&[slot("09", true)]);
        let (now, taken) = TimeChoice::refreshed(&shown, &[slot("09", false)]);
        assert_eq!(states(&now), [("09", TimeState::YouAreBusy)]);
        assert!(taken.is_empty());
    }
}
