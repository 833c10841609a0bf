use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path, SsrMode,
};

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

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#4338ca"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // Islands: only the interactive parts hydrate; the islands router fetches the
                // next page's HTML and patches it in, so links and forms stay client-side.
                <HydrationScripts options islands=true islands_router=true/>
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
