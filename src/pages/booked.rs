//! `/sessions/{session_id}/booked`: "Session Booked!", for the session's own student.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::wizard::load_booked,
    components::{error_panel::ErrorPanel, session_summary::SessionSummary, use_resource_by_id},
    error::Subject,
};

#[component]
pub fn BookedPage() -> impl IntoView {
    let booked = use_resource_by_id("session_id", Subject::Session, load_booked);
    view! {
        <Title text="Session Booked"/>
        <div class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match booked.await {
                        Err(error) => view! { <ErrorPanel error title="Session"/> }.into_any(),
                        Ok(b) => view! {
                            <section class="confirmation" aria-labelledby="booked-title">
                                <div class="confirmation-icon" aria-hidden="true">"✓"</div>
                                <h1 id="booked-title" tabindex="-1">"Session Booked!"</h1>
                                <SessionSummary summary=b.summary.clone()/>
                                {b.video_url.clone().map(|url| view! {
                                    <div class="video-room">
                                        <a class="btn btn-secondary" href=url.clone() target="_blank" rel="noopener external">"Join video room"</a>
                                        <p class="muted room-url">{url.clone()}</p>
                                        <p class="muted">"A confirmation with a calendar invite is on its way to your email."</p>
                                    </div>
                                })}
                                <h2 class="add-to-calendar-title">"Add to Calendar"</h2>
                                <ul class="calendar-links" role="list">
                                    <li><a class="btn btn-secondary" href=b.google_url.clone() target="_blank" rel="noopener external">"Google Calendar"</a></li>
                                    <li><a class="btn btn-secondary" href=format!("/sessions/{}/calendar", b.session_id) download="session.ics" rel="external">"Apple Calendar (.ics)"</a></li>
                                    <li><a class="btn btn-secondary" href=b.outlook_url.clone() target="_blank" rel="noopener external">"Outlook"</a></li>
                                </ul>
                                <div class="confirmation-actions">
                                    <a class="btn btn-primary" href="/dashboard">"Back to Dashboard"</a>
                                    <a class="btn btn-ghost" href=format!("/courses/{}/book", b.course_id)>"Book Another Session"</a>
                                </div>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
