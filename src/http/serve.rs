//! Starting the server over a migrated, seeded database, and stopping it gracefully.
use leptos::config::LeptosOptions;
use std::sync::Arc;

use super::router;
use crate::server::{
    analytics::Analytics, config::Settings, db, holds, live::Live, login_limits, mail, payments, retention, seed, state::AppState, stripe,
    video,
};

/// Connects, migrates, seeds an empty database, and builds the state.
pub async fn prepare(settings: Settings, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    let db = db::connect(&settings.server.database_url).await?;
    db::migrate(&db).await?;
    // Known-password accounts only where asked (`seeds_demo`); the password stays out of logs.
    let video = Arc::new(video::JitsiMeet::new(&settings.notifications.video_base_url));
    if settings.server.seeds_demo() && seed::seed_if_empty(&db, video.as_ref(), chrono::Utc::now()).await? {
        tracing::info!("seeded the demo data: accounts and password in the README's \"Demo accounts\"");
    }
    login_limits::start_forgetting(db.clone());
    retention::start_pruning(db.clone(), settings.server.retention());
    let analytics = Analytics::start(db.clone());
    let mail = mail::MailWorker::start(db.clone(), &settings).map_err(anyhow::Error::msg)?;
    let demo_login = seed::demo_login_works(&db).await?;
    let stripe = stripe::Stripe::from_settings(&settings.payments);
    let live = Live::start(&db);
    let state = AppState {
        leptos_options,
        db,
        settings: Arc::new(settings),
        analytics,
        catalog: Default::default(),
        calendars: Default::default(),
        video,
        mail,
        stripe,
        payments: Default::default(),
        live,
        demo_login,
    };
    payments::start_worker(&state);
    holds::start_sweeping(&state);
    Ok(state)
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let mut leptos_options = leptos::config::get_configuration(None)?.leptos_options;
    leptos_options.site_addr = settings.server.site_addr;
    // cargo-leptos tells a server it starts that file names are hashed; a release binary started
    // on its own (the end-to-end tests, a deployment) finds out from the hash file beside it.
    let hash_file = std::env::current_exe()?.with_file_name(leptos_options.hash_file.as_ref());
    leptos_options.hash_files |= hash_file.exists();
    let addr = settings.server.site_addr;
    let state = prepare(settings, leptos_options).await?;
    let app = router(state)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    // Nagle's algorithm with delayed ACKs would hold back the end of a streamed response
    // (BENCHMARKS.md).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    // The peer address feeds the per-address login limit.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a process manager or a deploy: stop accepting, finish what is in
/// flight, then exit.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
