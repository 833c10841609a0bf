//! A booked session's own pages and its changes (docs/booking-contract.md §7): either of its
//! people may see it and cancel it; its student may move it.
use leptos::prelude::*;

use crate::{
    dto::{
        sessions::{ChangedSession, SessionView},
        wizard::PaymentAnswer,
    },
    error::AppError,
};

#[server(endpoint = "load_session")]
pub async fn load_session(session_id: i32) -> Result<SessionView, AppError> {
    use crate::server::{
        booked,
        request::{app_state, require_user},
    };
    let (state, viewer) = (app_state()?, require_user()?);
    let settings = &state.settings;
    booked::session_view(&state.db, (&settings.booking, &settings.payments), &viewer, session_id, chrono::Utc::now()).await
}

/// Pays for the student's session awaiting payment with the card a Stripe.js token stands for
/// (docs/booking-contract.md §8). Answers whether the card asks the student to confirm first;
/// the session is booked once Stripe says the payment succeeded.
#[server(endpoint = "pay_session")]
pub async fn pay_session(session_id: i32, token: String) -> Result<PaymentAnswer, AppError> {
    use crate::server::{
        payments::{pay, Paid},
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    Ok(match pay(&state, &student, session_id, &token, chrono::Utc::now()).await? {
        Paid::Done => PaymentAnswer { authenticate: None },
        Paid::Authenticate { client_secret } => PaymentAnswer { authenticate: Some(client_secret) },
    })
}

/// Cancels a session, by its student or its Student-Teacher. A plain form post goes on to the
/// session's page; errors come back to the cancel page.
#[server(endpoint = "cancel_session")]
pub async fn cancel_session(session_id: i32, reason: Option<String>) -> Result<ChangedSession, AppError> {
    use crate::server::{
        changes,
        request::{app_state, require_user},
    };
    let (state, caller) = (app_state()?, require_user()?);
    let request = changes::CancelRequest::parse(session_id, reason)?;
    let cancelled = changes::cancel(&state, &caller, &request, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/sessions/{session_id}"));
    Ok(changes::changed_session(&cancelled))
}

/// Moves the student's session to `start` with the same Student-Teacher (the wizard's confirm
/// step, entered with `?reschedule=`). A repeated `idempotency_key` answers the session as the
/// first request left it.
#[server(endpoint = "reschedule_session")]
pub async fn reschedule_session(session_id: i32, start: String, idempotency_key: String) -> Result<ChangedSession, AppError> {
    use crate::server::{
        changes,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    let request = changes::RescheduleRequest::parse(session_id, &start, &idempotency_key)?;
    let moved = changes::reschedule(&state, &student, &request, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/sessions/{session_id}?changed=moved"));
    Ok(changes::changed_session(&moved))
}
