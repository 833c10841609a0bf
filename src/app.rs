use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path, SsrMode,
};
use std::sync::Arc;

use crate::{
    api::auth::get_current_user,
    components::site_header::{Session, SiteHeader},
    pages::{
        booking::{schedule_later::ScheduleLaterDone, CourseBookingPage, TeacherBookingPage},
        course::CoursePage,
        dashboard::DashboardPage,
        login::LoginPage,
        not_found::NotFound,
        schedule::SchedulePage,
        session::{BookedPage, CancelSessionPage, SessionPage},
        settings::SettingsPage,
        teach::TeachPage,
        teacher_profile::TeacherProfilePage,
    },
};

/// Where the page's stylesheet and scripts are: named once per process (`http::bundle`), not
/// read from the hash file on every render.
#[derive(Clone, Debug)]
pub struct BundleLinks {
    pub stylesheet: Arc<str>,
    pub script: Arc<str>,
    pub wasm: Arc<str>,
    /// The islands' start script, a file of its own instead of inline in every page.
    pub boot: Arc<str>,
}

pub fn shell(options: LeptosOptions, bundle: BundleLinks) -> impl IntoView {
    // Islands: only the interactive parts hydrate, so the page around them renders without
    // hydration markers (as `HydrationScripts` would set).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#4338ca"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options/>
                <link rel="stylesheet" id="leptos" href=bundle.stylesheet/>
                // The start script hydrates the islands once the page is idle; Leptos's islands
                // router in it fetches the next page's HTML and patches it in, so links and
                // forms stay client-side.
                <link rel="modulepreload" href=bundle.script/>
                <link rel="preload" href=bundle.wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script type="module" src=bundle.boot></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user = Resource::new(|| (), |_| get_current_user());
    provide_context(Session { user });

    // Every page renders whole on the server (`SsrMode::Async`): the page must work before
    // hydration and without JavaScript, which out-of-order streaming's swap scripts would break.
    view! {
        <Title formatter=|title: String| if title.is_empty() { "PeerTutor".to_owned() } else { format!("{title} · PeerTutor") }/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/dashboard"/> }/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course_id") view=CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course_id/book") view=CourseBookingPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:course_id/book/later") view=ScheduleLaterDone ssr=SsrMode::Async/>
                    <Route path=path!("/book/:st_id") view=TeacherBookingPage ssr=SsrMode::Async/>
                    <Route path=path!("/student-teachers/:st_id") view=TeacherProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:session_id") view=SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:session_id/booked") view=BookedPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:session_id/cancel") view=CancelSessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach") view=TeachPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/schedule") view=SchedulePage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
