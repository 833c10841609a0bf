//! What a login form may send.

/// Longest email address (RFC 5321's limit for a path) and password accepted: anything longer
/// is refused before any work, so a megabyte "password" costs nothing to hash.
pub const MAX_EMAIL_CHARS: usize = 254;

pub const MAX_PASSWORD_CHARS: usize = 1024;
