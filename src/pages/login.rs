use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::{demo_login, Login},
    components::post_form::PostForm,
    dto::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS},
    error::AppError,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    // After a failed post the server sends the browser back with `?error=credentials`.
    let error = move || query.read().get("error").and_then(|code| AppError::from_url_code(&code)).map(|e| e.to_string());
    let demo = Resource::new(|| (), |_| demo_login());

    view! {
        <Title text="Log in"/>
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"Log in"</h1>
            <p class="muted">"Book sessions with Student-Teachers in your courses."</p>
            <PostForm action=Login::PATH label="Log in" busy_label="Logging in…" button_class="btn btn-primary btn-block" form_class="stack">
                <input type="hidden" name="next" value=next/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required autofocus maxlength=MAX_EMAIL_CHARS
                    aria-invalid=move || error().is_some().then_some("true") aria-describedby="login-error"/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength=MAX_PASSWORD_CHARS
                    aria-invalid=move || error().is_some().then_some("true") aria-describedby="login-error"/>
                // Rendered only when there is an error, not hidden: the islands router adds and
                // changes attributes of the next page but never removes one.
                {move || error().map(|e| view! { <p id="login-error" class="form-error" role="alert">{e}</p> })}
            </PostForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    demo.await.unwrap_or(false).then(|| view! {
                        <details class="demo-hint">
                            <summary>"Trying the demo?"</summary>
                            <p>"Log in as " <code>"maya@student.test"</code> ", " <code>"kenji@student.test"</code> " or "
                                <code>"lena@student.test"</code> " with the password " <code>"booking-demo"</code> "."</p>
                        </details>
                    })
                })}
            </Suspense>
        </section>
    }
}
