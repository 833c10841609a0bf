//! Pieces several pages use.
pub mod avatar;
pub mod error_panel;
pub mod site_header;
pub mod teacher_meta;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A numeric route parameter such as `course_id`; `None` when absent or not a number.
pub fn use_id_param(name: &'static str) -> Signal<Option<i32>> {
    let params = use_params_map();
    Signal::derive(move || params.read().get(name).and_then(|v| v.parse().ok()))
}
