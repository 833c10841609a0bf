//! A booked session in other people's calendars: the `.ics` file (RFC 5545, for Apple Calendar
//! and every other), and Google's and Outlook's "add event" links. Times are in UTC, so every
//! calendar shows them in its owner's own timezone.
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use super::input::line_feeds;

/// What every calendar entry of a session says.
pub struct CalendarEntry<'a> {
    pub session_id: i32,
    pub title: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub details: &'a str,
    /// The video room, where the session takes place.
    pub location: Option<&'a str>,
    /// How many times the session has changed (RFC 5545 SEQUENCE): a calendar takes an update
    /// only when it is higher than the one it holds.
    pub sequence: i32,
    pub cancelled: bool,
}

/// Who an emailed invitation is from and for (RFC 5546's ORGANIZER and ATTENDEE).
pub struct Invitation<'a> {
    pub organizer: &'a str,
    pub attendees: [&'a str; 2],
}

impl CalendarEntry<'_> {
    /// Stable across downloads, so importing twice updates one event instead of adding two.
    pub fn uid(&self) -> String {
        format!("session-{}@session-booking", self.session_id)
    }

    fn event(&self, stamp: DateTime<Utc>) -> Event {
        let mut event = Event::new();
        event
            .uid(&self.uid())
            .timestamp(stamp)
            .starts(self.start)
            .ends(self.end)
            .summary(&text_value(self.title))
            .description(&text_value(self.details))
            .add_property("SEQUENCE", self.sequence.to_string())
            .add_property("STATUS", if self.cancelled { "CANCELLED" } else { "CONFIRMED" });
        if let Some(room) = self.location.map(uri_value) {
            event.location(&text_value(&room)).add_property("URL", &room);
        }
        event
    }

    /// The file "Add to Calendar" downloads.
    pub fn ics(&self, stamp: DateTime<Utc>) -> String {
        Calendar::new().push(self.event(stamp).done()).done().to_string()
    }

    /// The iTIP method (RFC 5546) of an emailed update: a new or moved session is a request, a
    /// cancelled one a cancel.
    pub fn method(&self) -> &'static str {
        if self.cancelled {
            "CANCEL"
        } else {
            "REQUEST"
        }
    }

    /// The invitation an email carries (`text/calendar; method=…`): the same event, with the
    /// same UID as the download, so a calendar that has one updates it with the other.
    pub fn invitation(&self, stamp: DateTime<Utc>, invitation: &Invitation) -> String {
        let mut event = self.event(stamp);
        event.add_property("ORGANIZER", format!("mailto:{}", uri_value(invitation.organizer)));
        for attendee in invitation.attendees {
            event.add_multi_property("ATTENDEE", &format!("mailto:{}", uri_value(attendee)));
        }
        let mut calendar = Calendar::new();
        calendar.append_property(("METHOD", self.method()));
        calendar.push(event.done()).done().to_string()
    }

    pub fn google_link(&self) -> String {
        let utc = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("action", "TEMPLATE")
            .append_pair("text", self.title)
            .append_pair("dates", &format!("{}/{}", utc(self.start), utc(self.end)))
            .append_pair("details", self.details)
            .append_pair("location", self.location.unwrap_or_default())
            .finish();
        format!("https://calendar.google.com/calendar/render?{query}")
    }

    pub fn outlook_link(&self) -> String {
        let utc = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("path", "/calendar/action/compose")
            .append_pair("rru", "addevent")
            .append_pair("subject", self.title)
            .append_pair("startdt", &utc(self.start))
            .append_pair("enddt", &utc(self.end))
            .append_pair("body", self.details)
            .append_pair("location", self.location.unwrap_or_default())
            .finish();
        format!("https://outlook.live.com/calendar/0/deeplink/compose?{query}")
    }
}

/// A TEXT value (RFC 5545 §3.3.11) as icalendar needs it: it escapes line feeds, commas,
/// semicolons and backslashes, but a carriage return would pass through and end the content
/// line, letting the text write properties of its own. Line breaks become line feeds; other
/// control characters go.
fn text_value(text: &str) -> String {
    line_feeds(text).chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

/// A URI value, which icalendar writes as it is: no control character at all.
fn uri_value(uri: &str) -> String {
    uri.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry() -> CalendarEntry<'static> {
        CalendarEntry {
            session_id: 42,
            title: "Algebra I with Tom Walker",
            start: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
            details: "Note: chapter 3 & 4",
            location: Some("https://meet.jit.si/peertutor-abc"),
            sequence: 0,
            cancelled: false,
        }
    }

    #[test]
    fn the_ics_event_is_in_utc_with_a_stable_uid() {
        let ics = entry().ics(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
        for line in [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "UID:session-42@session-booking",
            "DTSTART:20261201T140000Z",
            "DTEND:20261201T150000Z",
            "DTSTAMP:20261125T090000Z",
            "SUMMARY:Algebra I with Tom Walker",
        ] {
            assert!(ics.lines().any(|l| l == line), "missing {line}:\n{ics}");
        }
        assert!(ics.contains("\r\n"), "RFC 5545 lines end in CRLF");
        assert!(ics.lines().any(|l| l == "LOCATION:https://meet.jit.si/peertutor-abc"), "{ics}");
        assert!(!ics.contains("METHOD:"), "a download is no invitation");
    }

    #[test]
    fn the_invitation_is_the_same_event_requested_of_both_people() {
        let stamp = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let invite = entry()
            .invitation(stamp, &Invitation { organizer: "bookings@peertutor.test", attendees: ["maya@student.test", "tom@tutor.test"] });
        for line in [
            "METHOD:REQUEST",
            "UID:session-42@session-booking",
            "DTSTART:20261201T140000Z",
            "ORGANIZER:mailto:bookings@peertutor.test",
            "ATTENDEE:mailto:maya@student.test",
            "ATTENDEE:mailto:tom@tutor.test",
            "URL:https://meet.jit.si/peertutor-abc",
        ] {
            assert!(invite.lines().any(|l| l == line), "missing {line}:\n{invite}");
        }
    }

    /// The calendar read back by a parser: one event whose DESCRIPTION is the note, and no
    /// property the note tried to write.
    #[test]
    fn a_note_cannot_write_calendar_properties() {
        let stamp = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let hostile = "see you\rATTENDEE:mailto:evil@evil.test\r\nEND:VEVENT\nBEGIN:VEVENT; a, b \\ c";
        let entry = CalendarEntry { details: hostile, ..entry() };
        let invitation = Invitation { organizer: "bookings@peertutor.test", attendees: ["maya@student.test", "tom@tutor.test"] };
        for file in [entry.ics(stamp), entry.invitation(stamp, &invitation)] {
            assert!(!file.replace("\r\n", "").contains('\r'), "no bare carriage return: {file:?}");
            let calendar: icalendar::Calendar = file.parse().expect("parses back");
            let events: Vec<_> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
            assert_eq!(events.len(), 1, "{file}");
            let event = events[0];
            assert_eq!(event.get_description(), Some("see you\nATTENDEE:mailto:evil@evil.test\nEND:VEVENT\nBEGIN:VEVENT; a, b \\ c"));
            let attendees = event.multi_properties().get("ATTENDEE").map_or(0, Vec::len);
            assert!(attendees <= 2 && !file.lines().any(|l| l.starts_with("ATTENDEE:mailto:evil")), "{file}");
        }
    }

    /// Read back by a parser: a move is a request with a higher SEQUENCE for the same UID, a
    /// cancel a CANCEL with STATUS:CANCELLED, and the download says the same.
    #[test]
    fn updates_keep_the_uid_and_raise_the_sequence() {
        let stamp = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let invitation = Invitation { organizer: "bookings@peertutor.test", attendees: ["maya@student.test", "tom@tutor.test"] };
        let parsed = |file: String| -> (Option<String>, icalendar::Event) {
            let calendar: icalendar::Calendar = file.parse().expect("parses back");
            let method = calendar.properties.iter().find(|p| p.key() == "METHOD").map(|p| p.value().to_owned());
            let event = calendar.components.iter().find_map(|c| c.as_event()).expect("one event").clone();
            (method, event)
        };
        let moved = CalendarEntry { sequence: 2, start: entry().start + chrono::Duration::days(1), ..entry() };
        let (method, event) = parsed(moved.invitation(stamp, &invitation));
        assert_eq!(method.as_deref(), Some("REQUEST"));
        assert_eq!(event.get_uid(), Some("session-42@session-booking"));
        assert_eq!(event.property_value("SEQUENCE"), Some("2"));
        assert_eq!(event.property_value("STATUS"), Some("CONFIRMED"));
        assert_eq!(event.property_value("DTSTART"), Some("20261202T140000Z"));
        assert_eq!(event.property_value("DTSTAMP"), Some("20261126T090000Z"));

        let cancelled = CalendarEntry { sequence: 3, cancelled: true, ..moved };
        for (file, expected_method) in [(cancelled.invitation(stamp, &invitation), Some("CANCEL")), (cancelled.ics(stamp), None)] {
            let (method, event) = parsed(file);
            assert_eq!(method.as_deref(), expected_method);
            assert_eq!(event.get_uid(), Some("session-42@session-booking"));
            assert_eq!(event.property_value("SEQUENCE"), Some("3"));
            assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
        }
    }

    #[test]
    fn links_carry_the_times_in_utc() {
        let google = entry().google_link();
        assert!(google.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&"));
        assert!(google.contains("dates=20261201T140000Z%2F20261201T150000Z"), "{google}");
        assert!(google.contains("details=Note%3A+chapter+3+%26+4"), "{google}");
        let outlook = entry().outlook_link();
        assert!(outlook.contains("startdt=2026-12-01T14%3A00%3A00Z&enddt=2026-12-01T15%3A00%3A00Z"), "{outlook}");
    }
}
