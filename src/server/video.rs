//! Video rooms for booked sessions. A provider makes a room's URL at booking, inside the
//! booking's transaction, so it cannot call out to anything slow; a provider whose rooms must be
//! created through an API would create them from the outbox instead (see README).
use rand::Rng;

pub trait VideoProvider: Send + Sync {
    /// A new room, unguessable by anyone not sent its URL.
    fn new_room(&self) -> String;
}

/// Jitsi Meet: a room exists once someone opens its URL, so making one is choosing a name.
pub struct JitsiMeet {
    base_url: String,
}

impl JitsiMeet {
    pub fn new(base_url: &str) -> Self {
        Self { base_url: base_url.trim_end_matches('/').to_owned() }
    }
}

/// Characters of a room name: lowercase, since Jitsi folds case; 24 of them are 124 bits.
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const NAME_CHARS: usize = 24;

impl VideoProvider for JitsiMeet {
    fn new_room(&self) -> String {
        let mut rng = rand::rngs::OsRng;
        let name: String = (0..NAME_CHARS).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect();
        format!("{}/peertutor-{name}", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_are_on_the_configured_server_and_never_repeat() {
        let jitsi = JitsiMeet::new("https://meet.example.org/");
        let rooms: std::collections::HashSet<String> = (0..1000).map(|_| jitsi.new_room()).collect();
        assert_eq!(rooms.len(), 1000);
        for room in &rooms {
            let name = room.strip_prefix("https://meet.example.org/peertutor-").expect(room);
            assert_eq!(name.len(), NAME_CHARS);
            assert!(name.bytes().all(|b| ALPHABET.contains(&b)), "{room}");
        }
    }
}
