//! A small client of Stripe's HTTP API (README "Payments"): form-encoded requests with an
//! idempotency key on every write, and response types that read only the fields we use, so a
//! test server's partial objects parse as well as Stripe's. Also the webhook signature check.
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use std::collections::HashMap;

use super::config::PaymentSettings;

/// The fields of a PaymentIntent we act on.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub status: String,
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

impl PaymentIntent {
    pub fn succeeded(&self) -> bool {
        self.status == "succeeded"
    }

    /// The card needs the student's confirmation (3-D Secure) in the browser.
    pub fn requires_action(&self) -> bool {
        self.status == "requires_action"
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
}

#[derive(Debug, Clone, Deserialize)]
struct Token {
    card: TokenCard,
}

#[derive(Debug, Clone, Deserialize)]
struct TokenCard {
    id: String,
}

/// A webhook event: what happened and the object it happened to.
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// The card was refused (402): Stripe's words for the student.
    #[error("{0}")]
    Declined(String),
    #[error("Stripe answered {status}: {message}")]
    Refused { status: u16, message: String },
    #[error("Stripe could not be reached: {0}")]
    Unreachable(String),
}

#[derive(Clone)]
pub struct Stripe {
    http: reqwest::Client,
    base: String,
    secret_key: String,
}

impl Stripe {
    /// None without a secret key: this server takes no payments.
    pub fn from_settings(settings: &PaymentSettings) -> Option<Self> {
        let secret_key = settings.stripe_secret_key.clone()?;
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build().ok()?;
        Some(Self { http, base: settings.stripe_api_base.trim_end_matches('/').to_owned(), secret_key })
    }

    /// A PaymentIntent for one session; `key` makes a retry return the same intent.
    pub async fn create_payment_intent(
        &self,
        amount: i32,
        currency: &str,
        session_id: i32,
        key: &str,
    ) -> Result<PaymentIntent, StripeError> {
        let form = [("amount", amount.to_string()), ("currency", currency.to_owned()), ("metadata[session_id]", session_id.to_string())];
        self.post("/v1/payment_intents", &form, key).await
    }

    pub async fn payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        self.send(self.http.get(format!("{}/v1/payment_intents/{id}", self.base))).await
    }

    /// Pays the intent with the card a Stripe.js token stands for: the card is set on the
    /// intent, then the intent confirmed (two writes, each with its own key).
    pub async fn pay_with_token(&self, intent_id: &str, token: &str, key: &str) -> Result<PaymentIntent, StripeError> {
        let token: Token = self.send(self.http.get(format!("{}/v1/tokens/{token}", self.base))).await?;
        let _: PaymentIntent =
            self.post(&format!("/v1/payment_intents/{intent_id}"), &[("payment_method", token.card.id)], &format!("{key}-method")).await?;
        self.post(&format!("/v1/payment_intents/{intent_id}/confirm"), &[], &format!("{key}-confirm")).await
    }

    /// Cancels an intent that may no longer be paid (its hold ended).
    pub async fn cancel_payment_intent(&self, id: &str, key: &str) -> Result<PaymentIntent, StripeError> {
        self.post(&format!("/v1/payment_intents/{id}/cancel"), &[], key).await
    }

    /// Refunds the whole payment; `key` makes a retry refund nothing more.
    pub async fn refund(&self, intent_id: &str, key: &str) -> Result<Refund, StripeError> {
        self.post("/v1/refunds", &[("payment_intent", intent_id.to_owned())], key).await
    }

    async fn post<T: serde::de::DeserializeOwned>(&self, path: &str, form: &[(&str, String)], key: &str) -> Result<T, StripeError> {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str()))).finish();
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", key)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, StripeError> {
        let response = request.bearer_auth(&self.secret_key).send().await.map_err(|e| StripeError::Unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| StripeError::Unreachable(e.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|e| StripeError::Refused { status, message: format!("unreadable answer: {e}") });
        }
        #[derive(Deserialize)]
        struct Failure {
            error: FailureBody,
        }
        #[derive(Deserialize)]
        struct FailureBody {
            #[serde(default)]
            message: Option<String>,
        }
        let message = serde_json::from_str::<Failure>(&text).ok().and_then(|f| f.error.message).unwrap_or(text);
        Err(if status == 402 { StripeError::Declined(message) } else { StripeError::Refused { status, message } })
    }
}

/// The longest a webhook may have taken to reach us, as Stripe's own libraries allow.
pub const SIGNATURE_TOLERANCE: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no t= and v1= in Stripe-Signature")]
    Unreadable,
    #[error("the signature does not match")]
    Mismatch,
    #[error("signed too long ago (or in the future)")]
    Stale,
}

/// Checks `header` (`Stripe-Signature: t=…,v1=…[,v1=…]`) against the raw `payload`: some `v1`
/// must be HMAC-SHA256 of `t.payload` under `secret`, and `t` within the tolerance of `now`.
pub fn verify_signature(header: &str, payload: &[u8], secret: &str, now: DateTime<Utc>) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp.filter(|_| !signatures.is_empty()) else { return Err(SignatureError::Unreadable) };
    let matches = signatures.iter().any(|signature| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        mac.verify_slice(signature).is_ok()
    });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    let signed = DateTime::from_timestamp(timestamp, 0).ok_or(SignatureError::Stale)?;
    if (now - signed).abs() > SIGNATURE_TOLERANCE {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

/// The header Stripe would send for `payload` at `at`: for the tests and the load harness.
pub fn sign(payload: &[u8], secret: &str, at: DateTime<Utc>) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{}.", at.timestamp()).as_bytes());
    mac.update(payload);
    format!("t={},v1={}", at.timestamp(), hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_signature_must_match_the_body_and_be_recent() {
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(body, "whsec_test", at);
        assert_eq!(verify_signature(&header, body, "whsec_test", at + chrono::Duration::seconds(299)), Ok(()));
        assert_eq!(verify_signature(&header, b"{\"id\":\"evt_2\"}", "whsec_test", at), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(&header, body, "whsec_other", at), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(&header, body, "whsec_test", at + chrono::Duration::minutes(6)), Err(SignatureError::Stale));
        assert_eq!(verify_signature("t=1", body, "whsec_test", at), Err(SignatureError::Unreadable));
        assert_eq!(verify_signature("nonsense", body, "whsec_test", at), Err(SignatureError::Unreadable));
        // Several v1 values (a secret being rolled): one matching is enough.
        let rolled = format!("{header},v1={}", "00".repeat(32)).replacen("v1=", &format!("v1={},v1=", "ab".repeat(32)), 1);
        assert_eq!(verify_signature(&rolled, body, "whsec_test", at), Ok(()));
    }
}
