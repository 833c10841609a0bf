//! Pieces several pages use.
pub mod avatar;
pub mod error_panel;
pub mod post_form;
pub mod session_summary;
pub mod site_header;
pub mod teacher_identity;
pub mod teacher_meta;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

use crate::error::{AppError, Subject};

/// A numeric route parameter such as `course_id`; `None` when absent or not a number.
pub fn use_id_param(name: &'static str) -> Signal<Option<i32>> {
    let params = use_params_map();
    Signal::derive(move || params.read().get(name).and_then(|v| v.parse().ok()))
}

/// A page's data, loaded by the numeric route parameter `param`; a missing or malformed id is
/// "`what` not found." without asking the server.
pub fn use_resource_by_id<T, Fut>(
    param: &'static str,
    what: Subject,
    load: impl Fn(i32) -> Fut + Copy + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let id = use_id_param(param);
    Resource::new(
        move || id.get(),
        move |id| async move {
            match id {
                Some(id) => load(id).await,
                None => Err(AppError::NotFound(what)),
            }
        },
    )
}
