//! Passwords, login sessions and the cookie that carries them.
//!
//! A login session is a random token given to the browser in an HttpOnly cookie; the database
//! keeps only its SHA-256, so a leaked table cannot be replayed.
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Duration, Utc};
use cookie::{Cookie, SameSite};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::login_limits::{self, Limited};
use crate::{
    dto::auth::{MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS},
    entities::{login_session, user},
    error::AppError,
};

const SESSION_COOKIE: &str = "sb_session";
const SECURE_SESSION_COOKIE: &str = "__Host-sb_session";
/// A login session's lifetime, however active it is.
const SESSION_DAYS: i64 = 30;
/// How stale a session's `last_seen_at` may grow before a request writes it again: a write per
/// request would cost every page a database write for a few minutes' precision.
const TOUCH_EVERY_MINUTES: i64 = 5;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password with default parameters").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The user with these credentials. Across app processes, attempts are refused past a limit
/// per client address and per account from one address, so a stranger guessing cannot lock the
/// owner out from elsewhere; past the account's limit from all addresses together, each attempt
/// is slowed instead. An unknown email takes as long to refuse as a wrong password.
pub async fn authenticate(
    state: &super::state::AppState,
    client: Option<std::net::IpAddr>,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<user::Model, AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "Enter your email address."));
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(AppError::invalid("email", format!("An email address has at most {MAX_EMAIL_CHARS} characters.")));
    }
    if email.chars().any(char::is_control) {
        return Err(AppError::invalid("email", "Enter a valid email address."));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid("password", format!("A password has at most {MAX_PASSWORD_CHARS} characters.")));
    }
    let limits = &state.settings.server;
    let per_account = limits.login_attempts_per_minute.get();
    // The address first: a flood from one client stops here without touching anyone's account.
    if login_limits::count(&state.db, Limited::Client(client), now).await? > limits.login_attempts_per_ip_per_minute.get()
        || login_limits::count(&state.db, Limited::AccountFrom(&email, client), now).await? > per_account
    {
        return Err(AppError::TooManyAttempts);
    }
    // Guessing spread over many addresses: slower answers for everyone, a lockout for no one.
    if login_limits::count(&state.db, Limited::Account(&email), now).await? > per_account {
        tokio::time::sleep(ACCOUNT_UNDER_ATTACK_DELAY).await;
    }
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?;
    let hash = match &found {
        Some(user) => user.password_hash.clone(),
        None => unknown_user_hash().to_owned(),
    };
    match (verify_off_runtime(password.to_owned(), hash).await?, found) {
        (true, Some(user)) => Ok(user),
        _ => Err(AppError::InvalidCredentials),
    }
}

/// How much longer each login of an account takes while it is tried more often than its limit.
const ACCOUNT_UNDER_ATTACK_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// Verifies on the blocking pool, a few at a time: argon2 takes tens of milliseconds of CPU,
/// which on the async runtime would stall every other request, and unbounded on the blocking
/// pool would take every core from the pages.
async fn verify_off_runtime(password: String, hash: String) -> Result<bool, AppError> {
    static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new((cores / 2).max(1))
    });
    let _permit = HASHING.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.map_err(|error| {
        tracing::error!(%error, "password verification did not finish");
        AppError::Internal
    })
}

/// A hash to verify against when the email is unknown, so that a login takes as long whether or
/// not the account exists.
pub fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("no account has this password"));
    &HASH
}

fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// Creates a login session and returns the token for the cookie. Expired sessions, of anyone,
/// are deleted on the way, so the table does not grow forever.
pub async fn start_session(db: &DatabaseConnection, user_id: i32, now: DateTime<Utc>) -> Result<String, DbErr> {
    login_session::Entity::delete_many().filter(login_session::Column::ExpiresAt.lte(now)).exec(db).await?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    login_session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        last_seen_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    login_session::Entity::delete_many().filter(login_session::Column::TokenHash.eq(token_hash(token))).exec(db).await?;
    Ok(())
}

/// Sessions that still let their holder in: neither past their lifetime nor idle past `idle`.
fn live(idle: Duration, now: DateTime<Utc>) -> Condition {
    Condition::all().add(login_session::Column::ExpiresAt.gt(now)).add(login_session::Column::LastSeenAt.gt(now - idle))
}

/// The login sessions of `user_id` on other devices than the one holding session `keep`.
fn other_devices(user_id: i32, keep: i32) -> Condition {
    Condition::all().add(login_session::Column::UserId.eq(user_id)).add(login_session::Column::Id.ne(keep))
}

/// Ends every login session of `user_id` but `keep`: "sign out my other devices".
pub async fn end_other_sessions(db: &DatabaseConnection, user_id: i32, keep: i32) -> Result<u64, DbErr> {
    let ended = login_session::Entity::delete_many().filter(other_devices(user_id, keep)).exec(db).await?;
    Ok(ended.rows_affected)
}

/// How many live login sessions `user_id` has besides `keep`.
pub async fn count_other_sessions(
    db: &DatabaseConnection,
    user_id: i32,
    keep: i32,
    idle: Duration,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    login_session::Entity::find().filter(other_devices(user_id, keep)).filter(live(idle, now)).count(db).await
}

/// The session a token names and its user, if the session has neither expired nor been idle
/// longer than `idle`: one query, made once per request by the session middleware, and a
/// write only when `last_seen_at` is more than a few minutes old.
pub async fn session_for_token(
    db: &DatabaseConnection,
    token: &str,
    idle: Duration,
    now: DateTime<Utc>,
) -> Result<Option<(login_session::Model, user::Model)>, DbErr> {
    let found = login_session::Entity::find()
        .find_also_related(user::Entity)
        .filter(login_session::Column::TokenHash.eq(token_hash(token)))
        .filter(live(idle, now))
        .one(db)
        .await?;
    let Some((session, Some(user))) = found else { return Ok(None) };
    if session.last_seen_at < now - Duration::minutes(TOUCH_EVERY_MINUTES) {
        login_session::Entity::update_many()
            .col_expr(login_session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(login_session::Column::Id.eq(session.id))
            .exec(db)
            .await?;
    }
    Ok(Some((session, user)))
}

/// The login cookie's name. Over HTTPS it carries the `__Host-` prefix, so browsers accept it
/// only from this host, secure and for the whole site: a sibling subdomain cannot plant one.
fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token from a request's `Cookie` headers. Two different login cookies (one of
/// them planted) are no login at all: which the browser lists first is not ours to trust.
pub fn token_from_headers(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let mut tokens = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == cookie_name(secure))
        .map(|c| c.value().to_owned());
    let token = tokens.next()?;
    tokens.all(|other| other == token).then_some(token)
}

/// `Set-Cookie` value for a new session (or, with `None`, one that removes it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    // Lax, not Strict: a link to a booking page from an email must arrive logged in.
    let mut cookie = Cookie::build((cookie_name(secure), token.unwrap_or_default().to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    match token {
        Some(_) => cookie.set_max_age(cookie::time::Duration::days(SESSION_DAYS)),
        None => cookie.make_removal(),
    }
    cookie.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("booking-demo");
        assert!(verify_password("booking-demo", &hash));
        assert!(!verify_password("booking-demo ", &hash));
        assert!(!verify_password("booking-demo", "not a hash"));
        assert_ne!(hash, hash_password("booking-demo"), "salted");
    }

    #[test]
    fn session_cookie_is_http_only_and_same_site() {
        let set = session_cookie(Some("abc"), false);
        assert!(set.starts_with("sb_session=abc"));
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"));
        assert!(!set.contains("Secure"));
        let secure = session_cookie(Some("abc"), true);
        assert!(secure.starts_with("__Host-sb_session=abc") && secure.contains("Secure") && secure.contains("Path=/"), "{secure}");
        assert!(!secure.contains("Domain"), "a __Host- cookie names no domain");
        assert!(session_cookie(None, false).contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_token_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "theme=dark; sb_session=tok123; x=1".parse().unwrap());
        assert_eq!(token_from_headers(&headers, false).as_deref(), Some("tok123"));
        assert_eq!(token_from_headers(&headers, true), None, "over HTTPS only the __Host- cookie counts");
        assert_eq!(token_from_headers(&http::HeaderMap::new(), false), None);
        let mut secure = http::HeaderMap::new();
        secure.insert(http::header::COOKIE, "sb_session=planted; __Host-sb_session=tok456".parse().unwrap());
        assert_eq!(token_from_headers(&secure, true).as_deref(), Some("tok456"));
    }

    #[test]
    fn two_different_login_cookies_are_no_login() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "sb_session=planted; sb_session=mine".parse().unwrap());
        assert_eq!(token_from_headers(&headers, false), None);
        headers.insert(http::header::COOKIE, "sb_session=mine; sb_session=mine".parse().unwrap());
        assert_eq!(token_from_headers(&headers, false).as_deref(), Some("mine"));
    }
}
