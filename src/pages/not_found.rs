use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <section class="page narrow">
            <h1>"Page not found"</h1>
            <p class="muted">"The page you asked for does not exist."</p>
            <a class="btn btn-primary" href="/dashboard">"Go to your dashboard"</a>
        </section>
    }
}
