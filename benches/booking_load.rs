//! The booking commit under load and faults (docs/booking-contract.md §3): real server processes (two
//! on one PostgreSQL database, one on SQLite) take concurrent `book_session` requests from
//! many students; one process is killed with SIGKILL mid-load and restarted, and unanswered
//! requests are retried with their idempotency keys, as a browser would. Booked sessions are
//! then moved and cancelled in races with new bookings and with each other (§7), and sessions
//! of a paid course are booked in contention and then paid, declined or abandoned through a
//! local Stripe server (localstripe, from `scripts/setup.sh --test`; §8). The database is then
//! read back: no person may be double-booked, no acknowledged booking or change may be missing,
//! no session or change may exist that no answer acknowledged, every answer must be 200 or 409,
//! and every payment hold must have ended as its payment went.
//!
//!   cargo bench --features ssr --bench booking_load     the full run: 10,000 attempts per engine
//!   cargo test --features ssr --bench booking_load      the suite's small run of the same code
//!
//! PostgreSQL runs when `TEST_DATABASE_URL` names a server whose user may create databases
//! (CI sets it and requires it). The run prints the table that BENCHMARKS.md keeps.
use chrono::{DateTime, Duration, DurationRound, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use session_booking::{
    entities::{availability, course, enrollment, session, session_change, student_teacher, user, Role, SessionStatus},
    server::{auth::hash_password, config::Settings, db},
};
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Instant,
};
use tokio::{sync::Semaphore, task::JoinSet};

const PASSWORD: &str = "load-test-password";
const STRIPE_KEY: &str = "sk_test_load";
const WEBHOOK_SECRET: &str = "whsec_load";
/// Minutes between one tutor's conflict-free starts: a 60-minute session and the 15-minute
/// buffer fit, on the 30-minute grid.
const SPACING: i64 = 90;

struct Size {
    /// Attempts no two of which share a tutor's or a student's time.
    conflict_free: usize,
    /// Attempts by every student at six overlapping starts of four tutors.
    conflicting: usize,
    /// Conflict-free attempts during which a server is killed and restarted.
    killed: usize,
    /// Booked sessions changed in races: a move against a new booking of the same time, two
    /// moves of one session, a cancel against a move (two requests each).
    changed: usize,
    /// Attempts at a few starts of the paid course, each booked one then paid, declined or
    /// abandoned.
    paid: usize,
    concurrency: usize,
    /// Tutors, and as many students.
    people: usize,
}

const FULL: Size =
    Size { conflict_free: 4_000, conflicting: 4_000, killed: 2_000, changed: 1_500, paid: 600, concurrency: 128, people: 40 };
const SMALL: Size = Size { conflict_free: 120, conflicting: 160, killed: 120, changed: 60, paid: 48, concurrency: 16, people: 8 };

fn main() {
    // `cargo bench` passes --bench; `cargo test` runs the target without it.
    let full = std::env::args().any(|a| a == "--bench");
    let size = if full { FULL } else { SMALL };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut reports = vec![runtime.block_on(run(Engine::Sqlite, &size))];
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) {
        Some(admin) => reports.push(runtime.block_on(run(Engine::Postgres { admin }, &size))),
        None => {
            assert!(std::env::var_os("CI").is_none(), "CI must set TEST_DATABASE_URL");
            eprintln!("TEST_DATABASE_URL is not set; PostgreSQL not run");
        }
    }
    for report in &reports {
        report.print();
    }
    let failures: Vec<String> = reports.iter().flat_map(Report::failures).collect();
    assert!(failures.is_empty(), "the booking promise was broken:\n{}", failures.join("\n"));
}

enum Engine {
    Sqlite,
    Postgres { admin: String },
}

impl Engine {
    fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres { .. } => "PostgreSQL",
        }
    }

    fn processes(&self) -> usize {
        match self {
            Engine::Sqlite => 1,
            Engine::Postgres { .. } => 2,
        }
    }
}

/// A database of the run's own, removed afterwards.
struct Database {
    url: String,
    _dir: Option<tempfile::TempDir>,
    drop_with: Option<(String, String)>,
}

impl Database {
    async fn create(engine: &Engine) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("load.db").display());
                Database { url, _dir: Some(dir), drop_with: None }
            }
            Engine::Postgres { admin } => {
                let name = format!("sb_load_{}", std::process::id());
                let conn = sea_orm::Database::connect(admin).await.expect("connect to TEST_DATABASE_URL");
                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
                Database { url: format!("{base}/{name}"), _dir: None, drop_with: Some((admin.clone(), name)) }
            }
        }
    }

    async fn remove(self) {
        if let Some((admin, name)) = &self.drop_with {
            let conn = sea_orm::Database::connect(admin).await.unwrap();
            conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
        }
    }
}

/// localstripe, a local server that speaks Stripe's API, for the run's payments.
struct LocalStripe {
    url: String,
    child: Child,
}

impl LocalStripe {
    async fn start() -> Self {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/localstripe");
        assert!(bin.exists(), "the load harness pays through localstripe: run scripts/setup.sh --test");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin)
            .args(["--port", &port.to_string(), "--from-scratch"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start localstripe");
        let stripe = LocalStripe { url: format!("http://127.0.0.1:{port}"), child };
        for _ in 0..150 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return stripe;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("localstripe did not start on {port}");
    }

    async fn post(&self, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let res = client.post(format!("{}{path}", self.url)).bearer_auth(STRIPE_KEY).form(form).send().await.unwrap();
        res.json().await.unwrap_or(serde_json::Value::Null)
    }

    /// A card token, as Stripe.js makes one in the browser.
    async fn token(&self, client: &reqwest::Client, number: &str) -> String {
        let card = [("card[number]", number), ("card[exp_month]", "12"), ("card[exp_year]", "2030"), ("card[cvc]", "123")];
        self.post(client, "/v1/tokens", &card).await["id"].as_str().expect("a token").to_owned()
    }
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One app server process, as `session-booking serve` runs in production.
struct Server {
    port: u16,
    database_url: String,
    stripe_url: String,
    log: std::path::PathBuf,
    child: Child,
}

impl Server {
    async fn start(database_url: &str, stripe_url: &str, log_dir: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = log_dir.join(format!("server-{port}.log"));
        let child = spawn(database_url, stripe_url, port, &log);
        let server = Server { port, database_url: database_url.to_owned(), stripe_url: stripe_url.to_owned(), log, child };
        server.ready().await;
        server
    }

    /// SIGKILL, as a crash or an OOM kill does: no shutdown, requests in flight cut.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn restart(&mut self) {
        self.child = spawn(&self.database_url, &self.stripe_url, self.port, &self.log);
        self.ready().await;
    }

    async fn ready(&self) {
        let url = format!("http://127.0.0.1:{}/health", self.port);
        for _ in 0..600 {
            if reqwest::get(&url).await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("server on {} did not start; see {}", self.port, self.log.display());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(database_url: &str, stripe_url: &str, port: u16, log_path: &Path) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path).unwrap();
    Command::new(env!("CARGO_BIN_EXE_session-booking"))
        .arg("serve")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", database_url)
        .env("BOOKING_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BOOKING_SEED_DEMO", "false")
        // The confirmations go where the logs go, as .eml files.
        .env("BOOKING_MAIL_DIR", log_path.parent().unwrap().join("mail"))
        .env("BOOKING_LOGIN_ATTEMPTS_PER_MINUTE", "1000000")
        .env("BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", "1000000")
        // The harness measures the commit, not the per-student cap on upcoming sessions.
        .env("BOOKING_MAX_UPCOMING_SESSIONS", "1000000")
        .env("BOOKING_STRIPE_SECRET_KEY", STRIPE_KEY)
        .env("BOOKING_STRIPE_PUBLISHABLE_KEY", "pk_test_load")
        .env("BOOKING_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .env("BOOKING_STRIPE_API_BASE", stripe_url)
        // The shortest hold, so that the run sees abandoned holds end.
        .env("BOOKING_PAYMENT_HOLD_MINUTES", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start the server binary")
}

/// The run's own course, tutors available around the clock in UTC, and students enrolled.
struct World {
    tutors: Vec<i32>,
    students: Vec<String>,
    /// A tutor and a student that only the raw-insert measurement uses.
    raw_pair: (i32, i32),
    course_id: i32,
    /// The same tutors in a course that includes no session: every booking is paid.
    paid_tutors: Vec<i32>,
    paid_course_id: i32,
}

async fn build_world(db: &DatabaseConnection, people: usize) -> World {
    let now = Utc::now();
    let hash = hash_password(PASSWORD);
    let txn = db::begin_write(db).await.unwrap();
    let course = course::ActiveModel {
        title: Set("Load Test".into()),
        description: Set("Sessions booked by the load harness.".into()),
        session_minutes: Set(60),
        sessions_included: Set(1000),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .unwrap();
    let paid_course = course::ActiveModel {
        title: Set("Load Test, paid".into()),
        description: Set("Sessions the load harness pays for.".into()),
        session_minutes: Set(60),
        sessions_included: Set(0),
        session_price_cents: Set(Some(2000)),
        currency: Set("usd".into()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .unwrap();
    let person = |name: String, role: Role| user::ActiveModel {
        email: Set(format!("{name}@load.test")),
        name: Set(name),
        avatar_url: Set(None),
        timezone: Set("UTC".into()),
        password_hash: Set(hash.clone()),
        role: Set(role),
        created_at: Set(now),
        ..Default::default()
    };
    let (mut tutors, mut paid_tutors, mut students) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..people {
        let tutor = person(format!("tutor{i}"), Role::Teacher).insert(&txn).await.unwrap();
        let teaching = |course_id: i32| student_teacher::ActiveModel {
            user_id: Set(tutor.id),
            course_id: Set(course_id),
            is_active: Set(true),
            bio: Set(String::new()),
            students_taught: Set(0),
            rating: Set(None),
            ..Default::default()
        };
        let st = teaching(course.id).insert(&txn).await.unwrap();
        paid_tutors.push(teaching(paid_course.id).insert(&txn).await.unwrap().id);
        for day in 1..=7 {
            availability::ActiveModel {
                teacher_id: Set(tutor.id),
                day_of_week: Set(day),
                start_time: Set("00:00".into()),
                end_time: Set("24:00".into()),
                timezone: Set("UTC".into()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .unwrap();
        }
        let student = person(format!("student{i}"), Role::Student).insert(&txn).await.unwrap();
        for course_id in [course.id, paid_course.id] {
            enrollment::ActiveModel { student_id: Set(student.id), course_id: Set(course_id), created_at: Set(now), ..Default::default() }
                .insert(&txn)
                .await
                .unwrap();
        }
        tutors.push(st.id);
        students.push(student.email);
    }
    // The raw inserts bypass booking: two people who are never booked suffice.
    let raw_tutor = person("raw-tutor".into(), Role::Teacher).insert(&txn).await.unwrap();
    let raw_student = person("raw-student".into(), Role::Student).insert(&txn).await.unwrap();
    txn.commit().await.unwrap();
    World { tutors, students, raw_pair: (raw_tutor.id, raw_student.id), course_id: course.id, paid_tutors, paid_course_id: paid_course.id }
}

async fn login(client: &reqwest::Client, port: u16, email: &str) -> String {
    let base = format!("http://127.0.0.1:{port}");
    let res = client
        .post(format!("{base}/api/login"))
        .header("Origin", &base)
        .header("Accept", "application/json")
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = res.headers().get("set-cookie").unwrap_or_else(|| panic!("login of {email}: {}", res.status()));
    cookie.to_str().unwrap().split(';').next().unwrap().to_owned()
}

#[derive(Clone)]
struct Attempt {
    student: usize,
    st_id: i32,
    start: DateTime<Utc>,
    key: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// 200, with the session's id: booked, or (for a change) changed.
    Booked(i32),
    Conflict,
    Status(u16),
    /// No answer: the connection was refused or cut.
    Unreachable,
}

/// What the harness sends: a booking, or a change to a booked session by its student.
#[derive(Clone)]
enum Request {
    Book(Attempt),
    Move { student: usize, session_id: i32, start: DateTime<Utc>, key: String },
    Cancel { student: usize, session_id: i32 },
}

impl Request {
    fn student(&self) -> usize {
        match self {
            Request::Book(a) => a.student,
            Request::Move { student, .. } | Request::Cancel { student, .. } => *student,
        }
    }

    fn session_changed(&self) -> Option<i32> {
        match self {
            Request::Book(_) => None,
            Request::Move { session_id, .. } | Request::Cancel { session_id, .. } => Some(*session_id),
        }
    }
}

async fn send(client: &reqwest::Client, port: u16, cookie: &str, request: &Request) -> Outcome {
    let base = format!("http://127.0.0.1:{port}");
    let utc = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (endpoint, form): (&str, Vec<(&str, String)>) = match request {
        Request::Book(a) => (
            "book_session",
            vec![
                ("st_id", a.st_id.to_string()),
                ("start", utc(&a.start)),
                ("reminders", "false".into()),
                ("idempotency_key", a.key.clone()),
            ],
        ),
        Request::Move { session_id, start, key, .. } => {
            ("reschedule_session", vec![("session_id", session_id.to_string()), ("start", utc(start)), ("idempotency_key", key.clone())])
        }
        Request::Cancel { session_id, .. } => ("cancel_session", vec![("session_id", session_id.to_string())]),
    };
    let sent = client
        .post(format!("{base}/api/{endpoint}"))
        .header("Origin", &base)
        .header("Accept", "application/json")
        .header("Cookie", cookie)
        .form(&form)
        .send()
        .await;
    let Ok(res) = sent else { return Outcome::Unreachable };
    match res.status().as_u16() {
        200 => match res.json::<serde_json::Value>().await {
            Ok(body) => Outcome::Booked(body["session_id"].as_i64().expect("session_id") as i32),
            Err(_) => Outcome::Unreachable,
        },
        409 => Outcome::Conflict,
        other => Outcome::Status(other),
    }
}

struct Fired {
    outcomes: Vec<Outcome>,
    /// Latency of each answered attempt.
    latencies: Vec<std::time::Duration>,
    elapsed: std::time::Duration,
}

/// Sends `requests` with `concurrency` in flight, spread over the servers' ports in turn.
/// `answered` counts answers as they come, for a fault to be timed against.
async fn fire(
    client: &reqwest::Client,
    ports: &[u16],
    cookies: &Arc<Vec<String>>,
    requests: &[Request],
    concurrency: usize,
    answered: Arc<AtomicUsize>,
) -> Fired {
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    let began = Instant::now();
    for (i, r) in requests.iter().enumerate() {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (client, cookies, r, port, answered) = (client.clone(), cookies.clone(), r.clone(), ports[i % ports.len()], answered.clone());
        tasks.spawn(async move {
            let sent = Instant::now();
            let outcome = send(&client, port, &cookies[r.student()], &r).await;
            answered.fetch_add(1, Ordering::Relaxed);
            drop(permit);
            (i, outcome, sent.elapsed())
        });
    }
    let mut outcomes = vec![Outcome::Unreachable; requests.len()];
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (i, outcome, latency) = done.unwrap();
        if outcome != Outcome::Unreachable {
            latencies.push(latency);
        }
        outcomes[i] = outcome;
    }
    Fired { outcomes, latencies, elapsed: began.elapsed() }
}

struct Scenario {
    name: &'static str,
    attempts: usize,
    /// Attempts sent again with their key because the first try got no answer.
    retried: usize,
    booked: usize,
    conflicts: usize,
    elapsed: std::time::Duration,
    p50_ms: f64,
    p99_ms: f64,
}

impl Scenario {
    fn of(name: &'static str, fired: &Fired) -> Self {
        let mut ms: Vec<f64> = fired.latencies.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms.get(((ms.len() as f64 * q) as usize).min(ms.len().saturating_sub(1))).copied().unwrap_or(0.0);
        Scenario {
            name,
            attempts: fired.outcomes.len(),
            retried: 0,
            booked: fired.outcomes.iter().filter(|o| matches!(o, Outcome::Booked(_))).count(),
            conflicts: fired.outcomes.iter().filter(|o| **o == Outcome::Conflict).count(),
            elapsed: fired.elapsed,
            p50_ms: at(0.50),
            p99_ms: at(0.99),
        }
    }
}

struct Report {
    engine: &'static str,
    processes: usize,
    raw_inserts_per_s: f64,
    scenarios: Vec<Scenario>,
    tutor_overlaps: usize,
    student_overlaps: usize,
    lost: usize,
    phantom: usize,
    /// Changes answered 200 that the database does not hold.
    lost_changes: usize,
    /// Changes the database holds that no answer acknowledged (or a version count that
    /// disagrees, or an acknowledged cancel undone).
    phantom_changes: usize,
    /// Attempts whose final answer was neither 200 nor 409, by status.
    bad_statuses: BTreeMap<u16, usize>,
    unanswered: usize,
    /// Session ids acknowledged to two different attempts.
    shared_acks: usize,
    holds_unended: usize,
    payment_mismatches: usize,
}

/// Conflict-free attempts: attempt `j` books tutor `j % n` for student `j % n`, at the
/// `j / n`-th spaced start from `from`, so no two share a person's time.
fn conflict_free(world: &World, from: DateTime<Utc>, count: usize, label: &str) -> Vec<Attempt> {
    let n = world.tutors.len();
    (0..count)
        .map(|j| Attempt {
            student: j % n,
            st_id: world.tutors[j % n],
            start: from + Duration::minutes(SPACING * (j / n) as i64),
            key: format!("load-{label}-{j:06}"),
        })
        .collect()
}

fn booking(attempts: &[Attempt]) -> Vec<Request> {
    attempts.iter().cloned().map(Request::Book).collect()
}

/// The races, in thirds over `booked`: a session's student moves it to a time that another
/// student books with the same tutor at once; a student moves one session to two times at
/// once; a student cancels a session while moving it. Only the two requests of a race
/// contend: each session's people (tutor and student `g`, as the conflict-free scenario pairs
/// them) get new times of their own, on a grid that alternates with their neighbours', so the
/// rival student `g + 1` is free then. Answers the requests and the rival bookings' keys.
fn races(world: &World, booked: &[(Attempt, i32)], from: DateTime<Utc>) -> (Vec<Request>, HashSet<String>) {
    let mut next_slot: HashMap<usize, i64> = HashMap::new();
    let mut slot = |g: usize| {
        let m = next_slot.entry(g).or_default();
        *m += 1;
        from + Duration::minutes(2 * SPACING * (*m - 1) + SPACING * (g % 2) as i64)
    };
    let (mut requests, mut rivals) = (Vec::new(), HashSet::new());
    for (k, (a, session_id)) in booked.iter().enumerate() {
        let (student, session_id) = (a.student, *session_id);
        let moving = |start: DateTime<Utc>, tag: &str| Request::Move { student, session_id, start, key: format!("load-move-{tag}-{k:06}") };
        match k % 3 {
            0 => {
                let at = slot(student);
                let key = format!("load-rival-{k:06}");
                rivals.insert(key.clone());
                let rival = Attempt { student: (student + 1) % world.students.len(), st_id: a.st_id, start: at, key };
                requests.extend([moving(at, "raced"), Request::Book(rival)]);
            }
            1 => requests.extend([moving(slot(student), "first"), moving(slot(student), "second")]),
            _ => requests.extend([Request::Cancel { student, session_id }, moving(slot(student), "cancelled")]),
        }
    }
    (requests, rivals)
}

async fn run(engine: Engine, size: &Size) -> Report {
    let database = Database::create(&engine).await;
    let logs = tempfile::tempdir().unwrap();
    // The first process migrates; the others start on the migrated schema.
    let stripe = LocalStripe::start().await;
    let mut servers = vec![Server::start(&database.url, &stripe.url, logs.path()).await];
    let conn = db::connect(&database.url).await.unwrap();
    let world = build_world(&conn, size.people).await;
    for _ in 1..engine.processes() {
        servers.push(Server::start(&database.url, &stripe.url, logs.path()).await);
    }
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let client = reqwest::Client::builder().pool_max_idle_per_host(size.concurrency).build().unwrap();
    let hook = format!("http://127.0.0.1:{}/webhooks/stripe", ports[0]);
    stripe.post(&client, "/_config/webhooks/load", &[("url", &hook), ("secret", WEBHOOK_SECRET)]).await;
    let mut cookies = Vec::new();
    for email in &world.students {
        cookies.push(login(&client, ports[0], email).await);
    }
    let cookies = Arc::new(cookies);

    let raw_inserts_per_s = raw_insert_rate(&conn, &world, size.conflict_free, size.concurrency).await;
    // Starts from the day after tomorrow, beyond any minimum notice; each scenario has its own days.
    let tomorrow = (Utc::now() + Duration::days(2)).duration_trunc(Duration::days(1)).unwrap();
    let per_tutor_days = |count: usize| Duration::minutes(SPACING * (count / world.tutors.len() + 1) as i64);
    let mut all: Vec<(Attempt, Outcome)> = Vec::new();
    let mut scenarios = Vec::new();

    let free = conflict_free(&world, tomorrow, size.conflict_free, "free");
    let fired = fire(&client, &ports, &cookies, &booking(&free), size.concurrency, Default::default()).await;
    scenarios.push(Scenario::of("conflict-free", &fired));
    all.extend(free.into_iter().zip(fired.outcomes));

    let hot_from = (tomorrow + per_tutor_days(size.conflict_free) + Duration::days(1)).duration_trunc(Duration::days(1)).unwrap();
    let mut rng = StdRng::seed_from_u64(9);
    let hot: Vec<Attempt> = (0..size.conflicting)
        .map(|j| Attempt {
            student: rng.gen_range(0..world.students.len()),
            st_id: world.tutors[rng.gen_range(0..4.min(world.tutors.len()))],
            start: hot_from + Duration::minutes(30 * rng.gen_range(0..6)),
            key: format!("load-hot-{j:06}"),
        })
        .collect();
    let fired = fire(&client, &ports, &cookies, &booking(&hot), size.concurrency, Default::default()).await;
    scenarios.push(Scenario::of("conflicting", &fired));
    all.extend(hot.into_iter().zip(fired.outcomes));

    // Kill the first server once a third of these are answered; restart it; retry what got no
    // answer with the same keys, as the page does on "Try again".
    let killed_from = hot_from + Duration::days(1);
    let killed = conflict_free(&world, killed_from, size.killed, "killed");
    let answered = Arc::new(AtomicUsize::new(0));
    let began = Instant::now();
    let firing = {
        let (client, ports, cookies, killed, answered, concurrency) =
            (client.clone(), ports.clone(), cookies.clone(), killed.clone(), answered.clone(), size.concurrency);
        tokio::spawn(async move { fire(&client, &ports, &cookies, &booking(&killed), concurrency, answered).await })
    };
    while answered.load(Ordering::Relaxed) < size.killed / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    servers[0].kill();
    let fired = firing.await.unwrap();
    servers[0].restart().await;
    let mut outcomes = fired.outcomes.clone();
    let retried = outcomes.iter().filter(|o| **o == Outcome::Unreachable).count();
    for _ in 0..3 {
        let retry: Vec<usize> = (0..outcomes.len()).filter(|&i| outcomes[i] == Outcome::Unreachable).collect();
        if retry.is_empty() {
            break;
        }
        let again: Vec<Attempt> = retry.iter().map(|&i| killed[i].clone()).collect();
        let refired = fire(&client, &ports, &cookies, &booking(&again), size.concurrency, Default::default()).await;
        for (i, outcome) in retry.into_iter().zip(refired.outcomes) {
            outcomes[i] = outcome;
        }
    }
    // Timed to the last retry's answer, the restart included.
    let whole = Fired { outcomes: outcomes.clone(), elapsed: began.elapsed(), ..fired };
    scenarios.push(Scenario { retried, ..Scenario::of("SIGKILL mid-load, retried", &whole) });
    all.extend(killed.into_iter().zip(outcomes));

    // Changes to sessions the first scenario booked, each new time on days of their own.
    let changes_from = (killed_from + per_tutor_days(size.killed) + Duration::days(1)).duration_trunc(Duration::days(1)).unwrap();
    let booked: Vec<(Attempt, i32)> = all
        .iter()
        .filter_map(|(a, o)| if let Outcome::Booked(id) = o { Some((a.clone(), *id)) } else { None })
        .take(size.changed)
        .collect();
    let (requests, rival_bookings) = races(&world, &booked, changes_from);
    let fired = fire(&client, &ports, &cookies, &requests, size.concurrency, Default::default()).await;
    scenarios.push(Scenario::of("moves and cancels racing", &fired));
    let changes: Vec<(Request, Outcome)> = requests.into_iter().zip(fired.outcomes).collect();
    // The rival bookings are bookings like any other: acknowledged ones must exist, and no other.
    all.extend(changes.iter().filter_map(|(r, o)| match r {
        Request::Book(a) if rival_bookings.contains(&a.key) => Some((a.clone(), o.clone())),
        _ => None,
    }));

    // Paid sessions: contested starts of four tutors in the course that includes none. Each
    // booking holds its time; then a third are paid, a third declined and a third abandoned,
    // and every hold must end as its payment went.
    let paid_from = (changes_from + Duration::days(10)).duration_trunc(Duration::days(1)).unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let paid: Vec<Attempt> = (0..size.paid)
        .map(|j| Attempt {
            student: rng.gen_range(0..world.students.len()),
            st_id: world.paid_tutors[rng.gen_range(0..4.min(world.paid_tutors.len()))],
            start: paid_from + Duration::minutes(SPACING * rng.gen_range(0..6)),
            key: format!("load-paid-{j:06}"),
        })
        .collect();
    let fired = fire(&client, &ports, &cookies, &booking(&paid), size.concurrency, Default::default()).await;
    scenarios.push(Scenario::of("paid: held, then paid, declined or abandoned", &fired));
    let payments = settle_payments(&client, &stripe, &ports, &cookies, &paid, &fired.outcomes, &conn).await;
    all.extend(paid.into_iter().zip(fired.outcomes));

    let report = check(&engine, &conn, &world, all, &changes, Measured { raw_inserts_per_s, scenarios, payments }).await;
    drop(servers);
    conn.close().await.unwrap();
    database.remove().await;
    report
}

/// What the run measured on the way, for the report.
struct Measured {
    raw_inserts_per_s: f64,
    scenarios: Vec<Scenario>,
    payments: Payments,
}

/// How each booked paid session goes: paid by card, declined, or left to its hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    Pay,
    Decline,
    Abandon,
}

/// What the paid scenario found once every hold should have ended.
#[derive(Default)]
struct Payments {
    /// Sessions still awaiting payment after their hold and the worker's next round.
    holds_unended: usize,
    /// Sessions whose end does not match their payment (paid but not booked, or not paid and
    /// not released), and payment answers other than 200 for a good card and 402 for a bad one.
    mismatches: usize,
}

/// Pays, declines or abandons each booked paid session as a browser would (a Stripe.js token,
/// then `pay_session`), then waits for the holds to end and reads how each session ended.
async fn settle_payments(
    client: &reqwest::Client,
    stripe: &LocalStripe,
    ports: &[u16],
    cookies: &[String],
    attempts: &[Attempt],
    outcomes: &[Outcome],
    conn: &DatabaseConnection,
) -> Payments {
    let mut payments = Payments::default();
    let mut planned = Vec::new();
    for (k, (a, id)) in
        attempts.iter().zip(outcomes).filter_map(|(a, o)| if let Outcome::Booked(id) = o { Some((a, *id)) } else { None }).enumerate()
    {
        let plan = [Plan::Pay, Plan::Decline, Plan::Abandon][k % 3];
        let (card, expected) = match plan {
            Plan::Pay => ("4242424242424242", 200),
            Plan::Decline => ("4000000000000341", 402),
            Plan::Abandon => ("", 0),
        };
        if plan != Plan::Abandon {
            let token = stripe.token(client, card).await;
            let base = format!("http://127.0.0.1:{}", ports[k % ports.len()]);
            let res = client
                .post(format!("{base}/api/pay_session"))
                .header("Origin", &base)
                .header("Accept", "application/json")
                .header("Cookie", &cookies[a.student])
                .form(&[("session_id", id.to_string()), ("token", token)])
                .send()
                .await
                .unwrap();
            payments.mismatches += usize::from(res.status().as_u16() != expected);
        }
        planned.push((id, plan));
    }
    // A hold lasts a minute (`spawn`); the payments worker looks every 15 s.
    let pending = || session::Entity::find().filter(session::Column::Status.eq(SessionStatus::PendingPayment)).all(conn);
    for _ in 0..180 {
        if pending().await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    payments.holds_unended = pending().await.unwrap().len();
    let ids: Vec<i32> = planned.iter().map(|(id, _)| *id).collect();
    let ended: HashMap<i32, SessionStatus> = session::Entity::find()
        .filter(session::Column::Id.is_in(ids))
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();
    for (id, plan) in planned {
        let expected = if plan == Plan::Pay { SessionStatus::Scheduled } else { SessionStatus::Expired };
        payments.mismatches += usize::from(ended.get(&id) != Some(&expected));
    }
    payments
}

/// Plain single-row inserts of sessions with the same concurrency, committed one by one: the
/// engine's own rate, for the booking rate to be read against. Removed afterwards.
async fn raw_insert_rate(conn: &DatabaseConnection, world: &World, count: usize, concurrency: usize) -> f64 {
    let (teacher, student) = world.raw_pair;
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    let start = Utc::now().duration_trunc(Duration::days(1)).unwrap() + Duration::days(400);
    let began = Instant::now();
    for j in 0..count {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (conn, course_id) = (conn.clone(), world.course_id);
        tasks.spawn(async move {
            let at = start + Duration::minutes(SPACING * j as i64);
            session::ActiveModel {
                course_id: Set(course_id),
                student_id: Set(student),
                teacher_id: Set(teacher),
                start_at: Set(at),
                end_at: Set(at + Duration::minutes(60)),
                status: Set(SessionStatus::Scheduled),
                note: Set(String::new()),
                reminders: Set(false),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&conn)
            .await
            .unwrap();
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
    let rate = count as f64 / began.elapsed().as_secs_f64();
    session::Entity::delete_many().filter(session::Column::TeacherId.eq(teacher)).exec(conn).await.unwrap();
    rate
}

async fn check(
    engine: &Engine,
    conn: &DatabaseConnection,
    world: &World,
    all: Vec<(Attempt, Outcome)>,
    changes: &[(Request, Outcome)],
    Measured { raw_inserts_per_s, scenarios, payments }: Measured,
) -> Report {
    let buffer = Settings::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Leptos.toml"), |_| None).unwrap().booking.buffer_minutes;
    // Every session booked, cancelled ones included; only scheduled ones occupy time.
    let rows =
        session::Entity::find().filter(session::Column::CourseId.is_in([world.course_id, world.paid_course_id])).all(conn).await.unwrap();
    let overlaps = |key: fn(&session::Model) -> i32, gap: Duration| {
        let mut by_person: HashMap<i32, Vec<&session::Model>> = HashMap::new();
        for row in rows.iter().filter(|r| matches!(r.status, SessionStatus::Scheduled | SessionStatus::PendingPayment)) {
            by_person.entry(key(row)).or_default().push(row);
        }
        by_person
            .values_mut()
            .map(|sessions| {
                sessions.sort_by_key(|s| s.start_at);
                // Sorted by start, any overlap shows between a session and one of the next;
                // checking the latest end so far catches a long session spanning several.
                let mut latest_end: Option<DateTime<Utc>> = None;
                let mut count = 0;
                for s in sessions.iter() {
                    if latest_end.is_some_and(|end| s.start_at < end + gap) {
                        count += 1;
                    }
                    latest_end = latest_end.max(Some(s.end_at));
                }
                count
            })
            .sum::<usize>()
    };
    let acked: Vec<i32> = all.iter().filter_map(|(_, o)| if let Outcome::Booked(id) = o { Some(*id) } else { None }).collect();
    let acked_set: HashSet<i32> = acked.iter().copied().collect();
    let stored: HashSet<i32> = rows.iter().map(|r| r.id).collect();
    // Each session's versions are the changes acknowledged for it, no more and no fewer; a
    // session whose cancel was acknowledged stays cancelled.
    let mut acked_changes: HashMap<i32, i32> = HashMap::new();
    let mut acked_cancels = HashSet::new();
    for (request, outcome) in changes {
        if let (Some(id), Outcome::Booked(_)) = (request.session_changed(), outcome) {
            *acked_changes.entry(id).or_default() += 1;
            if matches!(request, Request::Cancel { .. }) {
                acked_cancels.insert(id);
            }
        }
    }
    let changed_ids: Vec<i32> = changes.iter().filter_map(|(r, _)| r.session_changed()).collect();
    let changed_rows = session::Entity::find().filter(session::Column::Id.is_in(changed_ids.clone())).all(conn).await.unwrap();
    let recorded = session_change::Entity::find().filter(session_change::Column::SessionId.is_in(changed_ids)).all(conn).await.unwrap();
    let mut lost_changes = 0;
    let mut phantom_changes = 0;
    for row in &changed_rows {
        let acked = acked_changes.get(&row.id).copied().unwrap_or(0);
        let stored = recorded.iter().filter(|c| c.session_id == row.id).count() as i32;
        lost_changes += (acked - stored).max(0) as usize;
        phantom_changes += (stored - acked).max(0) as usize;
        if row.sequence != stored || (acked_cancels.contains(&row.id) && row.status != SessionStatus::Cancelled) {
            phantom_changes += 1;
        }
    }
    let mut bad_statuses = BTreeMap::new();
    for outcome in all.iter().map(|(_, o)| o).chain(changes.iter().filter(|(r, _)| r.session_changed().is_some()).map(|(_, o)| o)) {
        if let Outcome::Status(code) = outcome {
            *bad_statuses.entry(*code).or_insert(0) += 1;
        }
    }
    Report {
        engine: engine.name(),
        processes: engine.processes(),
        raw_inserts_per_s,
        scenarios,
        tutor_overlaps: overlaps(|s| s.teacher_id, Duration::minutes(buffer)),
        student_overlaps: overlaps(|s| s.student_id, Duration::zero()),
        lost: acked_set.difference(&stored).count(),
        phantom: stored.difference(&acked_set).count(),
        lost_changes,
        phantom_changes,
        bad_statuses,
        unanswered: all.iter().map(|(_, o)| o).chain(changes.iter().map(|(_, o)| o)).filter(|o| **o == Outcome::Unreachable).count(),
        shared_acks: acked.len() - acked_set.len(),
        holds_unended: payments.holds_unended,
        payment_mismatches: payments.mismatches,
    }
}

impl Report {
    fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        let mut expect_zero = |what: &str, n: usize| {
            if n > 0 {
                failures.push(format!("{}: {n} {what}", self.engine));
            }
        };
        expect_zero("overlapping sessions of a Student-Teacher (buffer included)", self.tutor_overlaps);
        expect_zero("overlapping sessions of a student", self.student_overlaps);
        expect_zero("acknowledged bookings missing from the database", self.lost);
        expect_zero("sessions that no answer acknowledged", self.phantom);
        expect_zero("acknowledged changes missing from the database", self.lost_changes);
        expect_zero("changes that no answer acknowledged", self.phantom_changes);
        expect_zero("attempts still unanswered after retries", self.unanswered);
        expect_zero("session ids acknowledged to two attempts", self.shared_acks);
        expect_zero("answers other than 200 and 409", self.bad_statuses.values().sum());
        expect_zero("payment holds that never ended", self.holds_unended);
        expect_zero("paid sessions that did not end as their payment went", self.payment_mismatches);
        for s in &self.scenarios {
            if s.booked == 0 {
                failures.push(format!("{}: nothing booked in {}", self.engine, s.name));
            }
        }
        failures
    }

    fn print(&self) {
        let attempts: usize = self.scenarios.iter().map(|s| s.attempts).sum();
        println!("\n{} ({} app process{}): {attempts} attempts", self.engine, self.processes, if self.processes > 1 { "es" } else { "" });
        println!(
            "| load | attempts | cut off, retried | booked | 409 | answers/s | commits/s | p50 ms | p99 ms | commits vs raw inserts |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for s in &self.scenarios {
            let secs = s.elapsed.as_secs_f64();
            let commits = s.booked as f64 / secs;
            println!(
                "| {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.0} % |",
                s.name,
                s.attempts,
                s.retried,
                s.booked,
                s.conflicts,
                s.attempts as f64 / secs,
                commits,
                s.p50_ms,
                s.p99_ms,
                100.0 * commits / self.raw_inserts_per_s
            );
        }
        println!("| raw single-row inserts | | | | | | {:.0} | | | 100 % |", self.raw_inserts_per_s);
        println!(
            "overlaps: {} tutor, {} student; lost: {}; phantom: {}; changes lost: {}, phantom: {}; other statuses: {:?}; unanswered: {}; holds unended: {}; payments not as paid: {}",
            self.tutor_overlaps,
            self.student_overlaps,
            self.lost,
            self.phantom,
            self.lost_changes,
            self.phantom_changes,
            self.bad_statuses,
            self.unanswered,
            self.holds_unended,
            self.payment_mismatches
        );
    }
}
