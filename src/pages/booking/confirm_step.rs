use leptos::{prelude::*, server_fn::ServerFn};

use super::{hold_keeper::HoldKeeper, SelectedTeacher};
use crate::{
    api::{sessions::RescheduleSession, wizard::BookSession},
    components::{error_panel::ErrorPanel, post_form::PostForm, session_summary::SessionSummary},
    dto::{wizard::ConfirmView, TeacherCard},
    error::AppError,
    urls::StepLinks,
};

/// Step 4: the summary, reminders, an optional note, and "Book Session" (sticky on phones).
#[component]
pub fn ConfirmStep(
    teacher: TeacherCard,
    can_change: bool,
    links: StepLinks,
    summary: Result<ConfirmView, AppError>,
    /// What the last booking attempt came back with, if it failed.
    error: Option<AppError>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="step-title" class="step">
            <SelectedTeacher teacher can_change links/>
            <h2 id="step-title" tabindex="-1">"Confirm your session"</h2>
            {match summary {
                // The time was taken since it was listed: the nearest sensible step.
                Err(e @ (AppError::SlotUnavailable | AppError::StudentConflict)) => view! {
                    <p class="panel panel-error" role="alert">{e.to_string()}</p>
                    <a class="btn btn-primary" href=links.date()>"Choose another time"</a>
                }.into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(view) => view! { <ConfirmForm view links error/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ConfirmForm(view: ConfirmView, links: StepLinks, error: Option<AppError>) -> impl IntoView {
    let back = links.time(&view.date);
    let summary = view! {
        <SessionSummary summary=view.summary.clone() time_note=view.timezone_label.clone() their_time=view.tutor_time.clone()/>
        <HoldKeeper links start=view.start.clone() hold_seconds=view.hold_seconds/>
        {error.map(|e| booking_error(e, view.course_id))}
    };
    let form = match view.moving.clone() {
        // Moving a session keeps its note and reminders: the new time is the only change.
        Some(moving) => view! {
            <p class="moving-from"><span class="muted">"Now: "</span><s>{moving.current}</s></p>
            {moving.late_warning.map(|warning| view! { <p class="panel panel-warning" role="note">{warning}</p> })}
            <PostForm action=RescheduleSession::PATH label="Move Session" busy_label="Moving…" button_class="btn btn-primary btn-block book-button" form_class="confirm-form stack">
                <input type="hidden" name="session_id" value=moving.session_id.to_string()/>
                <input type="hidden" name="start" value=view.start.clone()/>
                <input type="hidden" name="idempotency_key" value=view.idempotency_key.clone()/>
                <p class="muted field-hint">"Both of you get the new time by email, with a calendar update."</p>
            </PostForm>
        }
        .into_any(),
        None => {
            let note_label = format!("Note for {} (optional)", view.teacher.name);
            let paid = view.cost.as_ref().is_some_and(|c| c.paid);
            view! {
                {view.cost.clone().map(|cost| view! {
                    <p class=if cost.paid { "cost cost-paid" } else { "cost" } id="cost">{cost.text}</p>
                })}
                <PostForm action=BookSession::PATH label=if paid { "Continue to Payment" } else { "Book Session" } busy_label="Booking…" button_class="btn btn-primary btn-block book-button" form_class="confirm-form stack">
                    <input type="hidden" name="st_id" value=view.teacher.st_id.to_string()/>
                    <input type="hidden" name="start" value=view.start.clone()/>
                    <input type="hidden" name="idempotency_key" value=view.idempotency_key.clone()/>
                    <label class="check">
                        <input type="checkbox" name="reminders" value="true" checked/>
                        " Remind me before the session"
                    </label>
                    <label for="note">{note_label}</label>
                    <textarea id="note" name="note" rows="4" maxlength="1000" aria-describedby="note-count" data-count="note-count"
                        placeholder="What would you like to work on?"></textarea>
                    <p id="note-count" class="muted field-hint">"Up to 1,000 characters."</p>
                </PostForm>
            }
            .into_any()
        }
    };
    view! {
        {summary}
        {form}
        <a class="back-link" href=back>"← Choose another time"</a>
    }
}

/// The spec's words for a booking that failed, with the way forward where there is one.
fn booking_error(error: AppError, course_id: i32) -> impl IntoView {
    match error {
        AppError::NotEnrolled => view! {
            <p class="panel panel-error" role="alert">
                {AppError::NotEnrolled.to_string()} " " <a href=format!("/courses/{course_id}")>"Enroll now"</a>
            </p>
        }
        .into_any(),
        AppError::InvalidInput { message, .. } => view! { <p class="panel panel-error" role="alert">{message}</p> }.into_any(),
        e @ (AppError::AlreadyCancelled | AppError::AlreadyStarted | AppError::TooManyUpcoming | AppError::PaymentUnavailable) => {
            view! { <p class="panel panel-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        _ => view! { <p class="panel panel-error" role="alert">"Unable to book. Please try again."</p> }.into_any(),
    }
}
