//! The Student-Teacher's own page.
use leptos::prelude::*;

use crate::{dto::teaching::Teaching, error::AppError};

#[server(endpoint = "load_teaching")]
pub async fn load_teaching() -> Result<Teaching, AppError> {
    use crate::server::{
        request::{app_state, require_teacher},
        teaching,
    };
    let (state, teacher) = (app_state()?, require_teacher()?);
    teaching::teaching(&state.db, &teacher, chrono::Utc::now()).await
}
