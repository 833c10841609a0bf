//! Passwords, login sessions and the cookie that carries them.
//!
//! A login session is a random token given to the browser in an HttpOnly cookie; the database
//! keeps only its SHA-256, so a leaked table cannot be replayed.
use argon2::{password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString}, Argon2};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Duration, Utc};
use cookie::{Cookie, SameSite};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::{
    entities::{login_session, user},
    error::AppError,
};

pub const SESSION_COOKIE: &str = "sb_session";
const SESSION_DAYS: i64 = 30;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with default parameters")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The user with these credentials. Attempts per email address are limited, and an unknown
/// email takes as long to refuse as a wrong password.
pub async fn authenticate(state: &super::state::AppState, email: &str, password: &str) -> Result<user::Model, AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "Enter your email address."));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    if state.login_attempts.check_key(&email).is_err() {
        return Err(AppError::TooManyAttempts);
    }
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?;
    let hash: &str = match &found {
        Some(user) => &user.password_hash,
        None => unknown_user_hash(),
    };
    match (verify_password(password, hash), found) {
        (true, Some(user)) => Ok(user),
        _ => Err(AppError::InvalidCredentials),
    }
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
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    login_session::Entity::delete_many()
        .filter(login_session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// The user a session token belongs to, if the session exists and has not expired: one query,
/// made once per request by the session middleware.
pub async fn user_for_token(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<Option<user::Model>, DbErr> {
    let found = login_session::Entity::find()
        .find_also_related(user::Entity)
        .filter(login_session::Column::TokenHash.eq(token_hash(token)))
        .filter(login_session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(found.and_then(|(_, user)| user))
}

/// The session token from a request's `Cookie` headers.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

/// `Set-Cookie` value for a new session (or, with `None`, one that removes it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    // Lax, not Strict: a link to a booking page from an email must arrive logged in.
    let mut cookie = Cookie::build((SESSION_COOKIE, token.unwrap_or_default().to_owned()))
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

/// Where to go after login: only paths on this site, so `next` cannot send people elsewhere.
/// Browsers drop tabs and newlines from URLs (`/\t/evil.test` becomes `//evil.test`), so only
/// visible ASCII passes.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path
        }
        _ => "/dashboard",
    }
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
        assert!(session_cookie(Some("abc"), true).contains("Secure"));
        assert!(session_cookie(None, false).contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_token_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, "theme=dark; sb_session=tok123; x=1".parse().unwrap());
        assert_eq!(token_from_headers(&headers).as_deref(), Some("tok123"));
        assert_eq!(token_from_headers(&http::HeaderMap::new()), None);
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/courses/1/book?st=2")), "/courses/1/book?st=2");
        assert_eq!(safe_next(Some("//evil.test/x")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\\evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\t/evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/\n/evil.test")), "/dashboard");
        assert_eq!(safe_next(Some("/ /evil.test")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }
}
