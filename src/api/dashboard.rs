use leptos::prelude::*;

use crate::{dto::dashboard::Dashboard, error::AppError};

#[server(endpoint = "load_dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::server::{
        dashboard::dashboard,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    dashboard(&state.db, &student, chrono::Utc::now()).await
}
