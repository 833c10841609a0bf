//! Runtime settings: `Leptos.toml`, each value overridable by an environment variable.
use serde::Deserialize;
use std::{net::SocketAddr, num::NonZeroU32, path::Path, str::FromStr};

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Settings {
    pub server: ServerSettings,
    pub booking: BookingDefaults,
    pub notifications: NotificationSettings,
    #[serde(default)]
    pub payments: PaymentSettings,
}

/// Stripe (`server::stripe`). Without a secret key, sessions that need payment cannot be booked.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct PaymentSettings {
    #[serde(default)]
    pub stripe_secret_key: Option<String>,
    #[serde(default)]
    pub stripe_publishable_key: Option<String>,
    /// Signs the webhooks Stripe sends to `/webhooks/stripe`.
    #[serde(default)]
    pub stripe_webhook_secret: Option<String>,
    #[serde(default = "default_stripe_api_base")]
    pub stripe_api_base: String,
    #[serde(default = "default_stripe_js_url")]
    pub stripe_js_url: String,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        Self {
            stripe_secret_key: None,
            stripe_publishable_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: default_stripe_api_base(),
            stripe_js_url: default_stripe_js_url(),
        }
    }
}

fn default_stripe_api_base() -> String {
    "https://api.stripe.com".into()
}

fn default_stripe_js_url() -> String {
    "https://js.stripe.com/v3/".into()
}

/// Email and video rooms (`server::mail`, `server::video`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct NotificationSettings {
    /// `smtps://user:pass@host` (TLS), `smtp://host:port?tls=required` (STARTTLS), or plain
    /// `smtp://host:port` for a relay on this machine. Unset: each message is written as an
    /// `.eml` file into `mail_dir`.
    #[serde(default)]
    pub smtp_url: Option<String>,
    pub mail_dir: String,
    pub mail_from: String,
    /// Lead times of a session's reminders, in minutes before it starts.
    pub reminder_minutes: Vec<u32>,
    /// Jitsi Meet server whose rooms sessions get.
    pub video_base_url: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ServerSettings {
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub secure_cookies: bool,
    /// Per email address.
    pub login_attempts_per_minute: NonZeroU32,
    pub login_attempts_per_ip_per_minute: NonZeroU32,
    /// A login session unused this long ends (sessions also end 30 days after login).
    pub session_idle_hours: NonZeroU32,
    /// Sent messages and analytics events older than this are deleted (`server::retention`).
    #[serde(default = "default_retention_days")]
    pub retention_days: NonZeroU32,
    /// The site's address as browsers see it (`https://book.example.org`), for the cross-site
    /// check behind a proxy that rewrites `Host`; without it, `Origin` is compared with `Host`.
    #[serde(default)]
    pub public_origin: Option<String>,
    /// Behind a reverse proxy, the client's address is the last one in `X-Forwarded-For`; set
    /// only when a proxy you run always writes it, or anyone could choose their own address.
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Seed an empty database with the demo world (known passwords). Unset: SQLite only, so
    /// the embedded default just works and no PostgreSQL deployment gets demo accounts.
    #[serde(default)]
    pub seed_demo: Option<bool>,
}

fn default_retention_days() -> NonZeroU32 {
    NonZeroU32::new(180).expect("not zero")
}

impl ServerSettings {
    pub fn retention(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.retention_days.get()))
    }

    pub fn session_idle(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.session_idle_hours.get()))
    }

    pub fn seeds_demo(&self) -> bool {
        self.seed_demo.unwrap_or_else(|| self.database_url.starts_with("sqlite:"))
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub struct BookingDefaults {
    pub step_minutes: i64,
    pub buffer_minutes: i64,
    pub minimum_notice_minutes: i64,
    pub horizon_days: i64,
    /// A student's cancel or reschedule this long before the start is free; later, the
    /// session counts as used (docs/booking-contract.md §7).
    #[serde(default = "default_free_cancel_hours")]
    pub free_cancel_hours: u32,
    /// How long a session awaiting payment holds its time (docs/booking-contract.md §8).
    #[serde(default = "default_payment_hold_minutes")]
    pub payment_hold_minutes: u32,
    /// The most upcoming sessions a student may hold across all courses.
    #[serde(default = "default_max_upcoming_sessions")]
    pub max_upcoming_sessions: u32,
    /// How long the confirm step holds its time for its student, renewed while it stays open
    /// (docs/booking-contract.md §9).
    #[serde(default = "default_hold_minutes")]
    pub hold_minutes: u32,
}

fn default_hold_minutes() -> u32 {
    5
}

fn default_payment_hold_minutes() -> u32 {
    15
}

fn default_max_upcoming_sessions() -> u32 {
    10
}

fn default_free_cancel_hours() -> u32 {
    24
}

impl BookingDefaults {
    pub fn free_cancel(&self) -> chrono::Duration {
        chrono::Duration::hours(self.free_cancel_hours.into())
    }

    pub fn payment_hold(&self) -> chrono::Duration {
        chrono::Duration::minutes(self.payment_hold_minutes.into())
    }

    pub fn hold(&self) -> chrono::Duration {
        chrono::Duration::minutes(self.hold_minutes.into())
    }

    /// The slot engine's policy for sessions of `duration_minutes`.
    pub fn policy(&self, duration_minutes: i64) -> crate::slots::Policy {
        crate::slots::Policy {
            duration_minutes,
            step_minutes: self.step_minutes,
            buffer_minutes: self.buffer_minutes,
            minimum_notice_minutes: self.minimum_notice_minutes,
            horizon_days: self.horizon_days,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("environment variable {var}: cannot parse {value:?}")]
    Env { var: &'static str, value: String },
    #[error("{section}.{field}: {message}")]
    Invalid { section: &'static str, field: &'static str, message: String },
}

impl Settings {
    /// Reads `path` and applies overrides from `env` (a lookup, so tests need not touch the
    /// process environment).
    pub fn load(path: &Path, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        let mut settings: Settings =
            toml::from_str(&text).map_err(|source| ConfigError::Parse { path: path.display().to_string(), source })?;
        settings.apply_env(env)?;
        settings.validate()?;
        Ok(settings)
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn set<T: FromStr>(target: &mut T, var: &'static str, env: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
            if let Some(value) = env(var) {
                *target = value.parse().map_err(|_| ConfigError::Env { var, value })?;
            }
            Ok(())
        }
        set(&mut self.server.site_addr, "BOOKING_SITE_ADDR", &env)?;
        set(&mut self.server.database_url, "DATABASE_URL", &env)?;
        set(&mut self.server.secure_cookies, "BOOKING_SECURE_COOKIES", &env)?;
        set(&mut self.server.login_attempts_per_minute, "BOOKING_LOGIN_ATTEMPTS_PER_MINUTE", &env)?;
        set(&mut self.server.login_attempts_per_ip_per_minute, "BOOKING_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", &env)?;
        set(&mut self.server.session_idle_hours, "BOOKING_SESSION_IDLE_HOURS", &env)?;
        set(&mut self.server.retention_days, "BOOKING_RETENTION_DAYS", &env)?;
        set(&mut self.server.trust_forwarded_for, "BOOKING_TRUST_FORWARDED_FOR", &env)?;
        if let Some(origin) = env("BOOKING_PUBLIC_ORIGIN") {
            self.server.public_origin = Some(origin).filter(|o| !o.is_empty());
        }
        if let Some(value) = env("BOOKING_SEED_DEMO") {
            let seed = value.parse().map_err(|_| ConfigError::Env { var: "BOOKING_SEED_DEMO", value })?;
            self.server.seed_demo = Some(seed);
        }
        set(&mut self.booking.step_minutes, "BOOKING_STEP_MINUTES", &env)?;
        set(&mut self.booking.buffer_minutes, "BOOKING_BUFFER_MINUTES", &env)?;
        set(&mut self.booking.minimum_notice_minutes, "BOOKING_MINIMUM_NOTICE_MINUTES", &env)?;
        set(&mut self.booking.horizon_days, "BOOKING_HORIZON_DAYS", &env)?;
        set(&mut self.booking.free_cancel_hours, "BOOKING_FREE_CANCEL_HOURS", &env)?;
        set(&mut self.booking.payment_hold_minutes, "BOOKING_PAYMENT_HOLD_MINUTES", &env)?;
        set(&mut self.booking.max_upcoming_sessions, "BOOKING_MAX_UPCOMING_SESSIONS", &env)?;
        set(&mut self.booking.hold_minutes, "BOOKING_HOLD_MINUTES", &env)?;
        let payments = &mut self.payments;
        for (target, var) in [
            (&mut payments.stripe_secret_key, "BOOKING_STRIPE_SECRET_KEY"),
            (&mut payments.stripe_publishable_key, "BOOKING_STRIPE_PUBLISHABLE_KEY"),
            (&mut payments.stripe_webhook_secret, "BOOKING_STRIPE_WEBHOOK_SECRET"),
        ] {
            if let Some(value) = env(var) {
                *target = Some(value).filter(|v| !v.is_empty());
            }
        }
        set(&mut payments.stripe_api_base, "BOOKING_STRIPE_API_BASE", &env)?;
        set(&mut payments.stripe_js_url, "BOOKING_STRIPE_JS_URL", &env)?;
        let mail = &mut self.notifications;
        if let Some(url) = env("BOOKING_SMTP_URL") {
            mail.smtp_url = Some(url).filter(|u| !u.is_empty());
        }
        set(&mut mail.mail_dir, "BOOKING_MAIL_DIR", &env)?;
        set(&mut mail.mail_from, "BOOKING_MAIL_FROM", &env)?;
        set(&mut mail.video_base_url, "BOOKING_VIDEO_BASE_URL", &env)?;
        if let Some(value) = env("BOOKING_REMINDER_MINUTES") {
            let leads: Result<Vec<u32>, _> = value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::parse).collect();
            mail.reminder_minutes = leads.map_err(|_| ConfigError::Env { var: "BOOKING_REMINDER_MINUTES", value })?;
        }
        Ok(())
    }

    /// The booking defaults must make a policy the slot engine accepts (checked with a typical
    /// session length; courses' lengths are checked where they are stored).
    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(origin) = &self.server.public_origin {
            let uri = origin.parse::<http::Uri>().ok();
            let is_origin = uri.is_some_and(|u| {
                matches!(u.scheme_str(), Some("http" | "https")) && u.authority().is_some() && origin.matches('/').count() == 2
            });
            if !is_origin {
                let message = format!("{origin:?} is not an origin such as https://book.example.org");
                return Err(ConfigError::Invalid { section: "server", field: "public_origin", message });
            }
            // A login cookie sent over plain HTTP to an HTTPS site could be read on the way.
            if origin.starts_with("https://") && !self.server.secure_cookies {
                let message = "must be true when the public origin is https (BOOKING_SECURE_COOKIES=true)".to_owned();
                return Err(ConfigError::Invalid { section: "server", field: "secure_cookies", message });
            }
        }
        let mail = &self.notifications;
        let invalid = |field, message: String| Err(ConfigError::Invalid { section: "notifications", field, message });
        if mail.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid("mail_from", format!("{:?} is not an address such as PeerTutor <bookings@example.org>", mail.mail_from));
        }
        if let Some(url) = &mail.smtp_url {
            if sends_credentials_in_clear(url) {
                let message = "a user and password need smtps:// or smtp://…?tls=required, not plain SMTP".to_owned();
                return invalid("smtp_url", message);
            }
        }
        if let Some(lead) = mail.reminder_minutes.iter().find(|&&m| m == 0 || m > 60 * 24 * 60) {
            return invalid("reminder_minutes", format!("{lead} is not between 1 minute and 60 days"));
        }
        if !(mail.video_base_url.starts_with("https://") || mail.video_base_url.starts_with("http://")) {
            return invalid("video_base_url", format!("{:?} is not an http(s) URL", mail.video_base_url));
        }
        if self.booking.free_cancel_hours > 24 * 365 {
            let message = format!("{} hours is more than a year", self.booking.free_cancel_hours);
            return Err(ConfigError::Invalid { section: "booking", field: "free_cancel_hours", message });
        }
        if !(1..=24 * 60).contains(&self.booking.payment_hold_minutes) {
            let message = format!("{} minutes is not between 1 minute and a day", self.booking.payment_hold_minutes);
            return Err(ConfigError::Invalid { section: "booking", field: "payment_hold_minutes", message });
        }
        if !(1..=60).contains(&self.booking.hold_minutes) {
            let message = format!("{} minutes is not between 1 minute and an hour", self.booking.hold_minutes);
            return Err(ConfigError::Invalid { section: "booking", field: "hold_minutes", message });
        }
        let payments = &self.payments;
        if payments.stripe_secret_key.is_some() && (payments.stripe_publishable_key.is_none() || payments.stripe_webhook_secret.is_none()) {
            let message = "a secret key needs its publishable key and a webhook secret too".to_owned();
            return Err(ConfigError::Invalid { section: "payments", field: "stripe_secret_key", message });
        }
        self.booking.policy(60).validate().map_err(|e| ConfigError::Invalid { section: "booking", field: e.field, message: e.problem })
    }
}

/// Whether an SMTP URL names a user (and so a password) but no TLS: plain `smtp://` sends
/// AUTH in clear unless the query asks for STARTTLS with `tls=required`.
fn sends_credentials_in_clear(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    scheme == "smtp" && authority.contains('@') && !query.split('&').any(|pair| pair == "tls=required")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("Leptos.toml");
        Settings::load(&path, |var| env.iter().find(|(k, _)| *k == var).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn reads_the_shipped_file() {
        let s = load_with(&[]).unwrap();
        assert_eq!(s.server.site_addr.to_string(), "127.0.0.1:3000");
        assert!(s.server.database_url.starts_with("sqlite://"));
        assert_eq!(s.booking.step_minutes, 30);
    }

    #[test]
    fn environment_overrides_each_value() {
        let s = load_with(&[
            ("BOOKING_SITE_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://db/x"),
            ("BOOKING_SECURE_COOKIES", "true"),
            ("BOOKING_BUFFER_MINUTES", "5"),
            ("BOOKING_HORIZON_DAYS", "14"),
        ])
        .unwrap();
        assert_eq!(s.server.site_addr.to_string(), "0.0.0.0:8080");
        assert_eq!(s.server.database_url, "postgres://db/x");
        assert!(s.server.secure_cookies);
        assert_eq!(s.booking.buffer_minutes, 5);
        assert_eq!(s.booking.horizon_days, 14);
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let err = load_with(&[("BOOKING_STEP_MINUTES", "soon")]).unwrap_err();
        assert!(err.to_string().contains("BOOKING_STEP_MINUTES"), "{err}");
        let err = load_with(&[("BOOKING_STEP_MINUTES", "0")]).unwrap_err();
        assert!(err.to_string().contains("booking.step_minutes"), "{err}");
        let err = load_with(&[("BOOKING_HORIZON_DAYS", "100000")]).unwrap_err();
        assert!(err.to_string().contains("booking.horizon_days"), "{err}");
        for origin in ["book.example.org", "https://book.example.org/path", "ftp://book.example.org", "https://"] {
            let err = load_with(&[("BOOKING_PUBLIC_ORIGIN", origin)]).unwrap_err();
            assert!(err.to_string().contains("server.public_origin"), "{origin}: {err}");
        }
        assert!(load_with(&[("BOOKING_SEED_DEMO", "sometimes")]).unwrap_err().to_string().contains("BOOKING_SEED_DEMO"));
    }

    #[test]
    fn mail_settings_come_from_the_environment_too() {
        let s = load_with(&[]).unwrap();
        assert_eq!((s.notifications.smtp_url.as_deref(), s.notifications.reminder_minutes.as_slice()), (None, [1440, 60].as_slice()));
        assert_eq!(s.notifications.video_base_url, "https://meet.jit.si");
        let s = load_with(&[("BOOKING_SMTP_URL", "smtp://127.0.0.1:2525"), ("BOOKING_REMINDER_MINUTES", "30, 10")]).unwrap();
        assert_eq!(s.notifications.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(s.notifications.reminder_minutes, [30, 10]);
        assert!(load_with(&[("BOOKING_REMINDER_MINUTES", "soon")]).unwrap_err().to_string().contains("BOOKING_REMINDER_MINUTES"));
        assert!(load_with(&[("BOOKING_REMINDER_MINUTES", "0")]).unwrap_err().to_string().contains("notifications.reminder_minutes"));
        assert!(load_with(&[("BOOKING_MAIL_FROM", "not an address")]).unwrap_err().to_string().contains("notifications.mail_from"));
    }

    #[test]
    fn credentials_never_travel_over_plain_smtp() {
        for clear in ["smtp://user:secret@mail.example.org:587", "smtp://user@mail.example.org", "smtp://u:p@h:25?tls=opportunistic"] {
            let err = load_with(&[("BOOKING_SMTP_URL", clear)]).unwrap_err();
            assert!(err.to_string().contains("notifications.smtp_url"), "{clear}: {err}");
        }
        for fine in
            ["smtps://user:secret@mail.example.org", "smtp://user:secret@mail.example.org:587?tls=required", "smtp://127.0.0.1:2525"]
        {
            assert!(load_with(&[("BOOKING_SMTP_URL", fine)]).is_ok(), "{fine}");
        }
    }

    #[test]
    fn payments_are_off_without_a_key_and_need_all_three_with_one() {
        let s = load_with(&[]).unwrap();
        assert_eq!((s.payments.stripe_secret_key.as_deref(), s.payments.stripe_api_base.as_str()), (None, "https://api.stripe.com"));
        assert_eq!((s.booking.payment_hold_minutes, s.booking.max_upcoming_sessions, s.booking.hold_minutes), (15, 10, 5));
        let err = load_with(&[("BOOKING_STRIPE_SECRET_KEY", "sk_test_1")]).unwrap_err();
        assert!(err.to_string().contains("payments.stripe_secret_key"), "{err}");
        let s = load_with(&[
            ("BOOKING_STRIPE_SECRET_KEY", "sk_test_1"),
            ("BOOKING_STRIPE_PUBLISHABLE_KEY", "pk_test_1"),
            ("BOOKING_STRIPE_WEBHOOK_SECRET", "whsec_1"),
            ("BOOKING_STRIPE_API_BASE", "http://127.0.0.1:8420"),
            ("BOOKING_PAYMENT_HOLD_MINUTES", "5"),
        ])
        .unwrap();
        assert_eq!((s.payments.stripe_api_base.as_str(), s.booking.payment_hold_minutes), ("http://127.0.0.1:8420", 5));
        assert!(load_with(&[("BOOKING_PAYMENT_HOLD_MINUTES", "0")]).unwrap_err().to_string().contains("booking.payment_hold_minutes"));
    }

    #[test]
    fn an_https_origin_needs_secure_cookies() {
        let err = load_with(&[("BOOKING_PUBLIC_ORIGIN", "https://book.example.org")]).unwrap_err();
        assert!(err.to_string().contains("server.secure_cookies"), "{err}");
        assert!(load_with(&[("BOOKING_PUBLIC_ORIGIN", "https://book.example.org"), ("BOOKING_SECURE_COOKIES", "true")]).is_ok());
        assert!(load_with(&[("BOOKING_PUBLIC_ORIGIN", "http://127.0.0.1:3000")]).is_ok());
    }

    #[test]
    fn demo_accounts_only_on_sqlite_unless_asked() {
        assert!(load_with(&[]).unwrap().server.seeds_demo());
        assert!(!load_with(&[("DATABASE_URL", "postgres://db/x")]).unwrap().server.seeds_demo());
        assert!(load_with(&[("DATABASE_URL", "postgres://db/x"), ("BOOKING_SEED_DEMO", "true")]).unwrap().server.seeds_demo());
        assert!(!load_with(&[("BOOKING_SEED_DEMO", "false")]).unwrap().server.seeds_demo());
        let origin = load_with(&[("BOOKING_PUBLIC_ORIGIN", "https://book.example.org"), ("BOOKING_SECURE_COOKIES", "true")]).unwrap();
        assert_eq!(origin.server.public_origin.as_deref(), Some("https://book.example.org"));
    }
}
