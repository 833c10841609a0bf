//! A booked session's own pages, for its student and its Student-Teacher:
//! `/sessions/{id}/booked` ("Session Booked!"), `/sessions/{id}` (the session as it is, with
//! reschedule and cancel) and `/sessions/{id}/cancel` (what a cancel costs, then the cancel).
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::sessions::{load_session, CancelSession, PaySession},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
        session_summary::SessionSummary,
        use_resource_by_id,
    },
    dto::sessions::{Party, PaymentStep, SessionState, SessionView},
    error::{AppError, Subject},
};

/// Which of the session's pages: they differ in their heading and what they lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    /// Straight after booking.
    Booked,
    /// The session as it is; after a move, it says so.
    Session,
}

#[component]
pub fn BookedPage() -> impl IntoView {
    view! { <SessionScreen screen=Screen::Booked/> }
}

#[component]
pub fn SessionPage() -> impl IntoView {
    view! { <SessionScreen screen=Screen::Session/> }
}

#[component]
fn SessionScreen(screen: Screen) -> impl IntoView {
    let session = use_resource_by_id("session_id", Subject::Session, load_session);
    let moved = use_query_map().read_untracked().get("changed").as_deref() == Some("moved");
    view! {
        <Title text=if screen == Screen::Booked { "Session Booked" } else { "Session" }/>
        <div class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Err(error) => view! { <ErrorPanel error title="Session"/> }.into_any(),
                        Ok(s) => view! { <SessionDetails s screen moved/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SessionDetails(s: SessionView, screen: Screen, moved: bool) -> impl IntoView {
    let scheduled = s.state == SessionState::Scheduled;
    let cancelled = matches!(s.state, SessionState::Cancelled { .. });
    // The room is where a session happens: offered until it is over.
    let room_open = matches!(s.state, SessionState::Scheduled | SessionState::Started);
    let (icon, heading) = match (&s.state, screen) {
        (SessionState::Cancelled { .. }, _) => ("✕", "Session cancelled"),
        (SessionState::AwaitingPayment(_), _) => ("$", "Pay to book your session"),
        (SessionState::Unpaid, _) => ("✕", "Session not booked"),
        (SessionState::Started, _) => ("●", "Session under way"),
        (SessionState::Ended, _) => ("✓", "Session over"),
        (_, Screen::Booked) => ("✓", "Session Booked!"),
        (SessionState::Scheduled, Screen::Session) if moved => ("✓", "Session moved"),
        _ => ("●", "Your session"),
    };
    let state_note = match &s.state {
        SessionState::Unpaid => Some(view! {
            <FormError error=use_form_error(PaySession::PATH)/>
            <div class="panel" role="status">
                <p>"This time is no longer held for you. If a payment arrived after the hold had ended, it has been refunded in full."</p>
            </div>
        }.into_any()),
        SessionState::Cancelled { by, reason, late } => {
            let used = (*late && s.party == Party::Student).then_some(" It was cancelled late, so it counts as one of your sessions.");
            Some(view! {
                <div class="panel" role="status">
                    <p>{format!("{by} cancelled this session.")}{used}</p>
                    {reason.clone().map(|r| view! { <p class="muted">{format!("Reason: {r}")}</p> })}
                </div>
            }.into_any())
        }
        _ => None,
    };
    // What is being paid for comes first, then the card.
    let payment = match &s.state {
        SessionState::AwaitingPayment(step) => Some(view! { <PaymentPanel step=step.clone() session_id=s.session_id/> }),
        _ => None,
    };
    let session_id = s.session_id;
    let home = if s.party == Party::Student { "/dashboard" } else { "/teach" };
    view! {
        <section class=if cancelled || s.state == SessionState::Unpaid { "confirmation is-cancelled" } else { "confirmation" } aria-labelledby="session-title">
            <div class="confirmation-icon" aria-hidden="true">{icon}</div>
            <h1 id="session-title" tabindex="-1">{heading}</h1>
            {state_note}
            <SessionSummary summary=s.summary.clone()/>
            {payment}
            {s.video_url.clone().filter(|_| room_open).map(|url| view! {
                <div class="video-room">
                    <a class="btn btn-secondary" href=url.clone() target="_blank" rel="noopener external">"Join video room"</a>
                    <p class="muted room-url">{url.clone()}</p>
                    {(screen == Screen::Booked).then(|| view! { <p class="muted">"A confirmation with a calendar invite is on its way to your email."</p> })}
                </div>
            })}
            {scheduled.then(|| view! {
                <h2 class="add-to-calendar-title">"Add to Calendar"</h2>
                <ul class="calendar-links" role="list">
                    <li><a class="btn btn-secondary" href=s.google_url.clone() target="_blank" rel="noopener external">"Google Calendar"</a></li>
                    <li><a class="btn btn-secondary" href=format!("/sessions/{session_id}/calendar") download="session.ics" rel="external">"Apple Calendar (.ics)"</a></li>
                    <li><a class="btn btn-secondary" href=s.outlook_url.clone() target="_blank" rel="noopener external">"Outlook"</a></li>
                </ul>
            })}
            {s.terms.clone().map(|terms| view! {
                <div class="change-plans">
                    <h2>"Change of plans?"</h2>
                    <p class="muted">{terms.explanation}</p>
                    <div class="confirmation-actions">
                        {s.reschedule_url.clone().map(|url| view! { <a class="btn btn-secondary" href=url>"Reschedule"</a> })}
                        <a class="btn btn-ghost btn-danger" href=format!("/sessions/{session_id}/cancel")>"Cancel session"</a>
                    </div>
                </div>
            })}
            <div class="confirmation-actions">
                <a class="btn btn-primary" href=home>{if s.party == Party::Student { "Back to Dashboard" } else { "Your sessions" }}</a>
                {(s.party == Party::Student).then(|| view! {
                    <a class="btn btn-ghost" href=format!("/courses/{}/book", s.course_id)>"Book Another Session"</a>
                })}
            </div>
        </section>
    }
}

/// `/sessions/{id}/cancel`: what a cancel costs now, an optional reason, and the cancel, which
/// works as a plain form post.
#[component]
pub fn CancelSessionPage() -> impl IntoView {
    let session = use_resource_by_id("session_id", Subject::Session, load_session);
    let error = use_form_error(CancelSession::PATH);
    view! {
        <Title text="Cancel session"/>
        <div class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Err(error) => view! { <ErrorPanel error title="Cancel session"/> }.into_any(),
                        Ok(s) => view! { <CancelForm s error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn CancelForm(s: SessionView, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let session_id = s.session_id;
    let back = format!("/sessions/{session_id}");
    let body = match s.terms {
        // Cancelled already, or begun: the session's page says which.
        None => view! {
            <div class="panel" role="status">
                <p>{match s.state {
                    SessionState::Cancelled { .. } => "This session has been cancelled.",
                    _ => "This session has already started, so it can no longer be changed.",
                }}</p>
            </div>
            <a class="btn btn-secondary" href=back.clone()>"See the session"</a>
        }
        .into_any(),
        Some(terms) => {
            let other = if s.party == Party::Student { "your Student-Teacher" } else { "your student" };
            view! {
                <p class=if terms.late { "panel panel-warning" } else { "panel" } role="note">{terms.explanation}</p>
                <FormError error/>
                <PostForm action=CancelSession::PATH label="Cancel session" busy_label="Cancelling…" button_class="btn btn-danger btn-block" form_class="stack cancel-form">
                    <input type="hidden" name="session_id" value=session_id.to_string()/>
                    <label for="reason">{format!("Reason for {other} (optional)")}</label>
                    <textarea id="reason" name="reason" rows="3" maxlength="500" aria-describedby="reason-hint"></textarea>
                    <p id="reason-hint" class="muted field-hint">"Up to 500 characters. Both of you get an email, with the calendar event removed."</p>
                </PostForm>
                <a class="back-link" href=back.clone()>"← Keep this session"</a>
            }
            .into_any()
        }
    };
    view! {
        <section class="stack" aria-labelledby="cancel-title">
            <h1 id="cancel-title" tabindex="-1">"Cancel this session?"</h1>
            <SessionSummary summary=s.summary/>
            {body}
        </section>
    }
}

/// The payment step: the amount, the hold's end, and the card field that `/payment.js` mounts
/// with Stripe.js. Without JavaScript it says so, and the hold's end is the honest countdown.
#[component]
fn PaymentPanel(step: PaymentStep, session_id: i32) -> impl IntoView {
    let error = use_form_error(PaySession::PATH);
    let held = format!("This time is held for you until {}.", step.held_until);
    let Some(key) = step.publishable_key.clone() else {
        return view! { <p class="panel panel-error" role="alert">{AppError::PaymentUnavailable.to_string()}</p> }.into_any();
    };
    view! {
        <div class="payment-step stack" data-session=session_id data-key=key data-js=step.js_url.clone() data-expires=step.expires_at.clone()>
            <p class="panel" role="note">{held}" "<span class="hold-countdown muted"></span></p>
            <FormError error/>
            <noscript>
                <p class="panel panel-warning">{format!("Card payment needs JavaScript. Turn it on and reload this page: your time stays held until {}, and is released after that.", step.held_until)}</p>
            </noscript>
            <p id="card-label" class="field-label">"Card details"</p>
            <div class="card-element" role="group" aria-labelledby="card-label"></div>
            <p class="payment-status muted" role="status" aria-live="polite"></p>
            <button type="button" class="btn btn-primary btn-block book-button" disabled>{format!("Pay {}", step.amount)}</button>
            <p class="muted field-hint">"Payments are handled by Stripe. The session is booked, with its confirmation email, as soon as the payment goes through."</p>
            // Runs when the page loads whole; after a navigation, `client` loads it.
            <script src="/payment.js" defer nonce=leptos::nonce::use_nonce()></script>
        </div>
    }
    .into_any()
}
