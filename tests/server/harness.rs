//! A fresh, migrated, seeded database per test, behind the real axum router. Requests go
//! through the same server-function endpoints the browser uses.
use axum::{body::Body, Router};
use http::{header, Request, Response};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use session_booking::{
    dto::{
        wizard::{DayTime, MonthTimes},
        StId,
    },
    entities::SessionStatus,
    entities::{course, student_teacher, user},
    error::AppError,
    server::{config::Settings, state::AppState},
};
use std::{
    path::Path,
    sync::{Arc, Mutex},
};
use tower::ServiceExt;

pub const HOST: &str = "127.0.0.1:3000";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A test that hangs fails with its name instead of stalling the whole run.
pub async fn within_time_limit(name: &str, test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), test).await.is_err() {
        panic!("{name} did not finish within 2 minutes");
    }
}

/// Runs each listed test on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` names one.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $crate::harness::within_time_limit(stringify!($name), super::$name($crate::harness::Backend::Sqlite)).await
            }) *
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if $crate::harness::postgres_url().is_none() {
                    // CI always tests PostgreSQL; elsewhere it is optional.
                    assert!(std::env::var_os("CI").is_none(), "CI must set TEST_DATABASE_URL");
                    eprintln!("TEST_DATABASE_URL is not set; PostgreSQL variant not run");
                    return;
                }
                $crate::harness::within_time_limit(stringify!($name), super::$name($crate::harness::Backend::Postgres)).await
            }) *
        }
    };
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

pub struct TestApp {
    pub state: AppState,
    router: Router,
    /// The SQL of every query the app has made through its connection, in order.
    queries: Arc<Mutex<Vec<String>>>,
    /// Shared with a `second_process` on the same database; the last one out removes it.
    _db_guard: Arc<DbGuard>,
    /// Where messages go without SMTP: `.eml` files, per app (a temporary directory).
    pub mail_dir: Arc<tempfile::TempDir>,
}

enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop cannot await, and must not block the test's runtime: a runtime of its own, on
            // its own thread, removes the database. Any it misses (the process ended first),
            // scripts/test.sh removes before the next run.
            std::thread::spawn(move || {
                tokio::runtime::Runtime::new().unwrap().block_on(async {
                    if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                    }
                })
            });
        }
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::configured(backend, |_| {}).await
    }

    pub async fn with_options(backend: Backend, options: LeptosOptions) -> Self {
        Self::build(backend, options, |_| {}).await
    }

    /// An app whose settings `configure` changes from the shipped `Leptos.toml`.
    pub async fn configured(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Self {
        Self::build(backend, LeptosOptions::builder().output_name("session-booking").build(), configure).await
    }

    async fn build(backend: Backend, options: LeptosOptions, configure: impl FnOnce(&mut Settings)) -> Self {
        let (url, guard) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                (url, DbGuard::Sqlite(dir))
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("TEST_DATABASE_URL");
                let name = format!("sb_test_{}", random_suffix());
                let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
                admin.close().await.unwrap();
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
                (format!("{base}/{name}"), DbGuard::Postgres { admin_url: admin_url.clone(), name })
            }
        };
        let mut settings = shipped_settings();
        settings.server.database_url = url;
        // Every test starts from the demo world, PostgreSQL included.
        settings.server.seed_demo = Some(true);
        let mail_dir = Arc::new(tempfile::tempdir().unwrap());
        settings.notifications.mail_dir = mail_dir.path().display().to_string();
        configure(&mut settings);
        Self::start(settings, options, Arc::new(guard), mail_dir).await
    }

    async fn start(settings: Settings, options: LeptosOptions, guard: Arc<DbGuard>, mail_dir: Arc<tempfile::TempDir>) -> Self {
        let mut state = session_booking::http::prepare(settings, options).await.expect("prepare app");
        let queries = Arc::new(Mutex::new(Vec::new()));
        state.db.set_metric_callback({
            let queries = queries.clone();
            move |metric| queries.lock().unwrap().push(metric.statement.sql.clone())
        });
        let router = session_booking::http::router(state.clone()).expect("the app's router");
        TestApp { state, router, queries, _db_guard: guard, mail_dir }
    }

    /// Another app process on the same database: its own pool, state and caches, as a second
    /// server behind a load balancer would have.
    pub async fn second_process(&self) -> Self {
        Self::start((*self.state.settings).clone(), self.state.leptos_options.clone(), self._db_guard.clone(), self.mail_dir.clone()).await
    }

    /// Serves the app on a port of its own, for peers that call it over HTTP (Stripe's
    /// webhooks); answers its address.
    pub async fn listen(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = self.router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    }

    /// Runs `request` and returns what it answered with the SQL of the queries it made.
    pub async fn counting_queries<T>(&self, request: impl std::future::Future<Output = T>) -> (T, Vec<String>) {
        let before = self.queries.lock().unwrap().len();
        let answer = request.await;
        let queries = self.queries.lock().unwrap()[before..].to_vec();
        (answer, queries)
    }

    /// The data of the analytics events named `name`, oldest first, once all are written.
    pub async fn events(&self, name: &str) -> Vec<serde_json::Value> {
        use sea_orm::QueryOrder;
        use session_booking::entities::analytics_event;
        self.state.analytics.flush().await;
        analytics_event::Entity::find()
            .filter(analytics_event::Column::Name.eq(name))
            .order_by_asc(analytics_event::Column::Id)
            .all(self.db())
            .await
            .unwrap()
            .into_iter()
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    /// Calls a server function the way the hydrated page does (`Accept: application/json`).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response<Body> {
        self.send(fn_request(endpoint, form, cookie, "application/json")).await
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response<Body> {
        self.send(fn_request(endpoint, form, cookie, "text/html,application/xhtml+xml")).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response<Body> {
        let mut builder = Request::get(path).header(header::HOST, HOST).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    /// Logs in and returns the `Cookie` header value for later requests.
    pub async fn login(&self, email: &str) -> String {
        let res = self.call("login", &[("email", email), ("password", "booking-demo")], None).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "login failed: {}", res.status());
        let set_cookie = res.headers().get(header::SET_COOKIE).expect("session cookie").to_str().unwrap();
        set_cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn course_id(&self, title: &str) -> i32 {
        course::Entity::find().filter(course::Column::Title.eq(title)).one(self.db()).await.unwrap().unwrap().id
    }

    pub async fn user_id(&self, email: &str) -> i32 {
        user::Entity::find().filter(user::Column::Email.eq(email)).one(self.db()).await.unwrap().unwrap().id
    }

    pub async fn st_id(&self, email: &str, course_title: &str) -> StId {
        let (user_id, course_id) = (self.user_id(email).await, self.course_id(course_title).await);
        student_teacher::Entity::find()
            .filter(student_teacher::Column::UserId.eq(user_id))
            .filter(student_teacher::Column::CourseId.eq(course_id))
            .one(self.db())
            .await
            .unwrap()
            .map(|st| StId(st.id))
            .unwrap()
    }
}

/// Whether a server (a test peer started as a process) listens on `port` within 15 s.
pub async fn listening(port: u16) -> bool {
    for _ in 0..150 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// The first start `st` has open for the logged-in student.
pub async fn first_free_start(app: &TestApp, cookie: &str, st: StId) -> String {
    let month: session_booking::dto::wizard::MonthDays =
        ok_json(app.call("load_month_days", &[("st_id", &st.to_string())], Some(cookie)).await).await;
    month.next_available.expect("open times").time.start
}

/// The time at `start` as the calendar lists it (`load_month_times`) to the student of
/// `cookie`, who lives in `zone`, if it lists it.
pub async fn listed_time(app: &TestApp, cookie: &str, zone: chrono_tz::Tz, st: StId, start: &str) -> Option<DayTime> {
    let month = chrono::DateTime::parse_from_rfc3339(start).unwrap().with_timezone(&zone).format("%Y-%m").to_string();
    let form = [("st_id", st.to_string()), ("month", month)];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let times: MonthTimes = ok_json(app.call("load_month_times", &form, Some(cookie)).await).await;
    times.days.into_iter().flat_map(|d| d.slots).find(|s| s.start == start)
}

/// Books through `book_session` as the page does, with a note.
pub async fn book_session(app: &TestApp, cookie: &str, st: StId, start: &str, reminders: bool, key: &str) -> Response<Body> {
    let (st, reminders) = (st.to_string(), reminders.to_string());
    let form = [
        ("st_id", st.as_str()),
        ("start", start),
        ("reminders", reminders.as_str()),
        ("note", "Chapter 3, please"),
        ("idempotency_key", key),
    ];
    app.call("book_session", &form, Some(cookie)).await
}

/// Inserts a scheduled session of `minutes` starting at `start`; answers its id.
pub async fn insert_session(
    app: &TestApp,
    course: &str,
    student: &str,
    teacher: &str,
    start: chrono::DateTime<chrono::Utc>,
    minutes: i64,
) -> i32 {
    use sea_orm::{ActiveModelTrait, Set};
    use session_booking::{dto::live::ChangeKind, server::live::Change};
    let (student_id, teacher_id) = (app.user_id(student).await, app.user_id(teacher).await);
    let id = session_booking::entities::session::ActiveModel {
        course_id: Set(app.course_id(course).await),
        student_id: Set(student_id),
        teacher_id: Set(teacher_id),
        start_at: Set(start),
        end_at: Set(start + chrono::Duration::minutes(minutes)),
        status: Set(SessionStatus::Scheduled),
        note: Set(String::new()),
        reminders: Set(false),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
    .id;
    // As a booking does, so that no page shows what was computed before it.
    app.state.live.publish(app.db(), Change { kind: ChangeKind::Booked, teacher_id, student_id: Some(student_id) }).await;
    id
}

pub fn shipped_settings() -> Settings {
    Settings::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Leptos.toml"), |_| None).unwrap()
}

/// A server-function call as a browser on this site sends it, for a test to add headers to.
pub fn fn_request(endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>, accept: &str) -> Request<Body> {
    let body = form.iter().map(|(k, v)| format!("{k}={}", session_booking::urls::urlencode(v))).collect::<Vec<_>>().join("&");
    let mut builder = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).unwrap()
}

fn random_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{:x}", nanos, std::process::id())
}

pub async fn body_text(res: Response<Body>) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

/// The value of a successful server-function response.
pub async fn ok_json<T: serde::de::DeserializeOwned>(res: Response<Body>) -> T {
    let status = res.status();
    let text = body_text(res).await;
    assert!(status.is_success(), "expected success, got {status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON ({e}): {text}"))
}

/// The typed error of a failed server-function response.
pub async fn app_error(res: Response<Body>) -> AppError {
    let status = res.status();
    let text = body_text(res).await;
    assert!(!status.is_success(), "expected an error, got {status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an AppError ({e}): {text}"))
}
