use leptos::prelude::*;

use crate::error::AppError;

/// A form posted to a server function (`action` is its path, such as `Enroll::PATH`) as plain
/// HTML: it works without JavaScript, and with it the islands router submits it without a
/// reload. While it is on its way the button shows `busy_label` and a second press is ignored
/// (`client::guard_double_submit`), so a double click sends one request.
#[component]
pub fn PostForm(
    action: &'static str,
    label: &'static str,
    busy_label: &'static str,
    #[prop(default = "btn btn-primary")] button_class: &'static str,
    #[prop(optional)] form_class: &'static str,
    /// The button's accessible name, where `label` alone would be ambiguous ("Select" whom?).
    #[prop(optional, into)]
    aria_label: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action class=form_class>
            {children()}
            <button type="submit" class=button_class aria-label=aria_label>
                <span class="when-idle">{label}</span>
                <span class="when-busy" aria-hidden="true">{busy_label}</span>
            </button>
        </form>
    }
}

/// The error a plain form post to the server function at `action` came back with: the server
/// puts its code into the URL (`__path` and `__err`, `http::form_errors`) when it redirects the
/// browser back, and a code shows only one of the app's own messages.
pub fn use_form_error(action: &'static str) -> Signal<Option<AppError>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        let query = query.read();
        (query.get("__path").as_deref() == Some(action))
            .then(|| query.get("__err"))
            .flatten()
            .and_then(|code| AppError::from_url_code(&code))
    })
}

/// A form error as the page shows it: an alert under the form.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
}
