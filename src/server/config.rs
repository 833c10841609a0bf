//! Runtime settings: `Leptos.toml`, each value overridable by an environment variable.
use serde::Deserialize;
use std::{net::SocketAddr, path::Path, str::FromStr};

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Settings {
    pub server: ServerSettings,
    pub booking: BookingDefaults,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ServerSettings {
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub secure_cookies: bool,
    pub login_attempts_per_minute: std::num::NonZeroU32,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub struct BookingDefaults {
    pub step_minutes: i64,
    pub buffer_minutes: i64,
    pub minimum_notice_minutes: i64,
    pub horizon_days: i64,
}

impl BookingDefaults {
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
    #[error("booking.{field}: {message}")]
    Invalid { field: &'static str, message: String },
}

impl Settings {
    /// Reads `path` and applies overrides from `env` (a lookup, so tests need not touch the
    /// process environment).
    pub fn load(path: &Path, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        let mut settings: Settings = toml::from_str(&text)
            .map_err(|source| ConfigError::Parse { path: path.display().to_string(), source })?;
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
        set(&mut self.booking.step_minutes, "BOOKING_STEP_MINUTES", &env)?;
        set(&mut self.booking.buffer_minutes, "BOOKING_BUFFER_MINUTES", &env)?;
        set(&mut self.booking.minimum_notice_minutes, "BOOKING_MINIMUM_NOTICE_MINUTES", &env)?;
        set(&mut self.booking.horizon_days, "BOOKING_HORIZON_DAYS", &env)?;
        Ok(())
    }

    /// The booking defaults must make a policy the slot engine accepts (checked with a typical
    /// session length; courses' lengths are checked where they are stored).
    fn validate(&self) -> Result<(), ConfigError> {
        self.booking.policy(60).validate().map_err(|e| ConfigError::Invalid { field: e.field, message: e.problem })
    }
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
    }
}
