//! The booking endpoints the islands call, through the browser's `fetch`: a form body in, JSON
//! out, as a page's own post sends them. The generated server-function client would bring its
//! own encoders into the wasm bundle; these calls need nothing but the JSON reader the islands'
//! props already use (BENCHMARKS.md, "The calendar island").
use leptos::{
    server_fn::ServerFn,
    task::spawn_local,
    wasm_bindgen::{JsCast, JsValue},
    web_sys::{RequestInit, Response, UrlSearchParams},
};
use serde::de::DeserializeOwned;
use wasm_bindgen_futures::JsFuture;

use crate::{
    api::wizard::{HoldTime, LoadMonthTimes, ReleaseHold, SelectDate},
    dto::wizard::{HoldAnswer, MonthTimes},
    error::AppError,
    urls::StepLinks,
};

/// Posts `form` to a server function and reads its answer, or the error it answered with.
async fn call<T: DeserializeOwned>(path: &str, form: &[(&str, String)]) -> Result<T, AppError> {
    let transport = |e: JsValue| AppError::Transport(e.as_string().unwrap_or_else(|| "the request failed".into()));
    let body = UrlSearchParams::new().map_err(transport)?;
    for (name, value) in form {
        body.append(name, value);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = leptos::web_sys::Headers::new().map_err(transport)?;
    headers.set("Accept", "application/json").map_err(transport)?;
    init.set_headers(&headers);
    let answer = JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(path, &init)).await.map_err(transport)?;
    let response: Response = answer.dyn_into().map_err(transport)?;
    let text = JsFuture::from(response.text().map_err(transport)?).await.map_err(transport)?.as_string().unwrap_or_default();
    let read = |e: serde_json::Error| AppError::Transport(e.to_string());
    if response.ok() {
        serde_json::from_str(&text).map_err(read)
    } else {
        Err(serde_json::from_str(&text).map_err(read)?)
    }
}

/// A step's fields: the Student-Teacher, `more`, and the session being moved, if any.
fn step_form(links: StepLinks, more: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form = vec![("st_id", links.st_id().to_string())];
    form.extend(more.iter().map(|(name, value)| (*name, (*value).to_owned())));
    form.extend(links.reschedule().map(|id| ("reschedule", id.to_string())));
    form
}

/// `load_month_times`: a month's days with each date's times.
pub async fn month_times(links: StepLinks, month: &str) -> Result<MonthTimes, AppError> {
    call(LoadMonthTimes::PATH, &step_form(links, &[("month", month)])).await
}

/// `select_date`, in the background: records `date_selected` as the date's post would have.
pub fn record_date(links: StepLinks, date: String) {
    let form = step_form(links, &[("date", &date), ("page", &links.page().to_string())]);
    // Its answer, the next step's address, is already on screen.
    spawn_local(async move {
        let _ = call::<()>(SelectDate::PATH, &form).await;
    });
}

/// `hold_time`: renews the hold on `start`.
pub async fn hold(links: StepLinks, start: &str) -> Result<HoldAnswer, AppError> {
    call(HoldTime::PATH, &step_form(links, &[("start", start)])).await
}

/// `release_hold` of `start`, in the background.
pub fn release(start: String) {
    spawn_local(async move {
        let _ = call::<()>(ReleaseHold::PATH, &[("start", start)]).await;
    });
}
