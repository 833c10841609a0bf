//! Rows turned into the wire types pages receive, with times labelled for their reader.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    dto::{wizard::SessionSummary, Avatar, CourseSummary, StId, TeacherCard, UserView},
    entities::{course, student_teacher, user},
};

pub fn avatar(user: &user::Model) -> Avatar {
    let initials = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    Avatar { url: user.avatar_url.clone(), initials }
}

pub fn user_view(user: &user::Model) -> UserView {
    UserView {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        timezone: user.timezone.clone(),
        avatar: avatar(user),
        home: user.role.home().to_owned(),
    }
}

pub fn course_summary(course: &course::Model) -> CourseSummary {
    CourseSummary {
        id: course.id,
        title: course.title.clone(),
        session_minutes: course.session_minutes,
        sessions_included: course.sessions_included,
        session_price: course.session_price_cents.map(|cents| money(cents, &course.currency)),
    }
}

pub fn teacher_card(st: &student_teacher::Model, user: &user::Model) -> TeacherCard {
    TeacherCard {
        st_id: StId(st.id),
        name: user.name.clone(),
        avatar: avatar(user),
        timezone: user.timezone.clone(),
        students_taught: st.students_taught,
        rating: st.rating,
    }
}

/// "Tuesday, December 1, 2026" and "9:00 AM – 10:00 AM EST" in the viewer's timezone.
pub fn session_labels(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> (String, String) {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    (s.format("%A, %B %-d, %Y").to_string(), format!("{} – {} {}", s.format("%-I:%M %p"), e.format("%-I:%M %p"), e.format("%Z")))
}

/// The session's summary for a reader in `viewer`'s timezone; `(role, person)` is the other one.
pub fn session_summary(
    course: &course::Model,
    (role, person): (&str, &user::Model),
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    viewer: Tz,
) -> SessionSummary {
    let (date_label, time_label) = session_labels(start, end, viewer);
    SessionSummary {
        course_title: course.title.clone(),
        person_role: role.to_owned(),
        person_name: person.name.clone(),
        person_avatar: avatar(person),
        date_label,
        time_label,
        session_minutes: course.session_minutes,
    }
}

/// "$25.00": an amount in a currency's smallest unit, as the pages and emails show it.
pub fn money(amount_cents: i32, currency: &str) -> String {
    let units = format!("{}.{:02}", amount_cents / 100, amount_cents % 100);
    match currency {
        "usd" => format!("${units}"),
        "eur" => format!("€{units}"),
        "gbp" => format!("£{units}"),
        other => format!("{units} {}", other.to_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_money() {
        assert_eq!((money(2500, "usd"), money(1505, "eur"), money(7, "jpy")), ("$25.00".into(), "€15.05".into(), "0.07 JPY".into()));
    }
    use chrono::TimeZone;

    #[test]
    fn labels_are_in_the_viewers_zone_with_its_abbreviation() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        let (date, time) = session_labels(start, end, chrono_tz::America::New_York);
        assert_eq!(date, "Tuesday, December 1, 2026");
        assert_eq!(time, "9:00 AM – 10:00 AM EST");
        let (date, _) = session_labels(start, end, chrono_tz::Asia::Tokyo);
        assert_eq!(date, "Tuesday, December 1, 2026");
        let (_, time) = session_labels(start, end, chrono_tz::Asia::Kathmandu);
        assert_eq!(time, "7:45 PM – 8:45 PM +0545");
    }
}
