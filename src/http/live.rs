//! `GET /api/live/times?st={st_id}`: the server-sent events that keep a booking page's times
//! true (docs/booking-contract.md §9). Each event names how the times changed (`booked`,
//! `held`, `cancelled`, `freed`, `hours`) or asks for everything again (`resync`); its data is
//! that name again (browsers drop an event without data), never the times themselves: the page
//! fetches them through `load_month_times`, checked as always.
use axum::{
    extract::{Query, State},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    Extension,
};
use serde::Deserialize;
use tokio_stream::{wrappers::BroadcastStream, StreamExt};

use crate::{
    dto::{live::RESYNC, StId},
    entities::Role,
    error::AppError,
    server::{bookable::bookable, live::Heard, request::CurrentUser, state::AppState},
};

#[derive(Debug, Deserialize)]
pub struct TimesQuery {
    st: StId,
}

/// The stream of changes to the times the student sees with Student-Teacher `st`: theirs, and
/// the student's own (a session elsewhere makes a time clash).
pub async fn times(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Query(query): Query<TimesQuery>,
) -> Response {
    let Some(student) = user else { return AppError::NotAuthenticated.into_response() };
    if student.role != Role::Student {
        return AppError::NotAStudent.into_response();
    }
    // Subscribed before the check's queries: nothing committed after the page's own fetch is missed.
    let heard = BroadcastStream::new(state.live.subscribe());
    let teacher = match bookable(&state.db, &student, query.st).await {
        Ok(b) => b.teacher.id,
        Err(error) => return error.into_response(),
    };
    let events = heard.filter_map(move |heard| {
        let name = match heard {
            Ok(Heard::Change(change)) if change.involves(teacher) || change.involves(student.id) => change.kind.as_str(),
            Ok(Heard::Change(_)) => return None,
            // Missed changes, or fell behind: fetch everything.
            Ok(Heard::Missed) | Err(_) => RESYNC,
        };
        Some(Ok::<_, std::convert::Infallible>(Event::default().event(name).data(name)))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
