use leptos::prelude::*;

use crate::error::AppError;

/// Shows a server function's error as the page's message, with the way forward where there is
/// one. Pages without a heading of their own pass `title`, so the page still has an h1.
#[component]
pub fn ErrorPanel(error: AppError, #[prop(optional)] title: Option<&'static str>) -> impl IntoView {
    // The page answers with the error's status: a 404 page is a 404, not a 200.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    let action = match &error {
        AppError::NotAuthenticated => Some(("/login", "Log in")),
        AppError::NotFound(_) | AppError::NotAStudentTeacher => Some(("/dashboard", "Go to your dashboard")),
        // Only a Student-Teacher is neither: their own start page.
        AppError::NotAStudent => Some(("/teach", "Go to your sessions")),
        _ => None,
    };
    view! {
        {title.map(|title| view! { <h1>{title}</h1> })}
        <div class="panel panel-error" role="alert">
            <p>{error.to_string()}</p>
            {action.map(|(href, label)| view! { <a class="btn btn-secondary" href=href>{label}</a> })}
        </div>
    }
}
