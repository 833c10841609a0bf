use leptos::prelude::*;

use super::avatar::Avatar;
use crate::dto::wizard::SessionSummary as Summary;

/// A session's course, other person, date, time and length: the confirm step (with the
/// timezone's name and the tutor's own time) and the session's own pages.
#[component]
pub fn SessionSummary(
    summary: Summary,
    /// Said after the time, such as the timezone's name.
    #[prop(optional)]
    time_note: Option<String>,
    /// The same time on the tutor's clock, when it differs.
    #[prop(default = None)]
    their_time: Option<String>,
) -> impl IntoView {
    view! {
        <dl class="summary card">
            <div><dt>"Course"</dt><dd>{summary.course_title}</dd></div>
            <div><dt>{summary.person_role}</dt>
                <dd class="summary-teacher"><Avatar avatar=summary.person_avatar size="sm"/>{summary.person_name}</dd></div>
            <div><dt>"Date"</dt><dd>{summary.date_label}</dd></div>
            <div><dt>"Time"</dt><dd>{summary.time_label} {time_note.map(|note| view! { <span class="muted">{format!(" · {note}")}</span> })}</dd></div>
            <div><dt>"Duration"</dt><dd>{format!("{} minutes", summary.session_minutes)}</dd></div>
            {their_time.map(|t| view! { <div><dt>"Their time"</dt><dd>{t}</dd></div> })}
        </dl>
    }
}
