//! `POST /webhooks/stripe`: Stripe's word on a payment, read from the raw body so that its
//! signature can be checked (`server::payments::receive_webhook`).
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use crate::server::{
    payments::{receive_webhook, WebhookRefusal},
    state::AppState,
};

pub async fn stripe(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    match receive_webhook(&state, signature, &body, chrono::Utc::now()).await {
        Ok(_) => StatusCode::OK.into_response(),
        // Ours to fix: Stripe retries the event later.
        Err(WebhookRefusal::Failed) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(refusal) => {
            tracing::warn!(%refusal, "webhook refused");
            (StatusCode::BAD_REQUEST, refusal.to_string()).into_response()
        }
    }
}
