//! The session-booking server binary: serves the app by default; `migrate`, `seed` and
//! `slots` are for operators and support staff.
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use session_booking::{
    http,
    server::{config::Settings, db, seed, video},
};

// A page render allocates a great deal across threads, which glibc's allocator handles poorly
// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(version, about = "Book tutoring sessions with Student-Teachers")]
struct Cli {
    /// Runtime settings file; every value can also be set by its environment variable.
    #[arg(long, default_value = "Leptos.toml", env = "BOOKING_CONFIG")]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Bring the database schema up to date.
    Migrate,
    /// Seed the demo data into an empty database.
    Seed,
    /// Compute the bookable slots of a case file (docs/slot-rules.md) and print the result.
    Slots {
        /// The case as JSON; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = || Settings::load(&cli.config, |var| std::env::var(var).ok());
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => http::serve(settings()?).await,
        Command::Migrate => {
            let conn = db::connect(&settings()?.server.database_url).await?;
            db::migrate(&conn).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Seed => {
            let settings = settings()?;
            let conn = db::connect(&settings.server.database_url).await?;
            db::migrate(&conn).await?;
            let video = video::JitsiMeet::new(&settings.notifications.video_base_url);
            if seed::seed_if_empty(&conn, &video, chrono::Utc::now()).await? {
                println!("seeded the demo data; the accounts and their password are in the README's \"Demo accounts\"");
            } else {
                println!("the database already has users; nothing seeded");
            }
            Ok(())
        }
        // The slot engine needs no settings or database: support staff can run it anywhere.
        Command::Slots { case } => slots(&case),
    }
}

fn slots(case: &std::path::Path) -> anyhow::Result<()> {
    let json = if case.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(case).with_context(|| format!("cannot read {}", case.display()))?
    };
    println!("{}", session_booking::slots::run_case(&json)?);
    Ok(())
}
