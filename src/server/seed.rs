//! The demo world of `docs/demo-world.md`, seeded into an empty database so a newcomer can log
//! in and book at once. Sessions are placed relative to the day the seed runs.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{
    auth::{hash_password, verify_password},
    db::begin_write,
    video::VideoProvider,
};
use crate::entities::{availability, course, enrollment, session, student_teacher, user, Role, SessionStatus};

pub const DEMO_PASSWORD: &str = "booking-demo";

struct Person {
    name: &'static str,
    email: &'static str,
    timezone: &'static str,
    role: Role,
}

const PEOPLE: &[Person] = &[
    Person { name: "Priya Nair", email: "priya@tutor.test", timezone: "Asia/Kolkata", role: Role::Teacher },
    Person { name: "Tom Walker", email: "tom@tutor.test", timezone: "Europe/London", role: Role::Teacher },
    Person { name: "Aarav Shrestha", email: "aarav@tutor.test", timezone: "Asia/Kathmandu", role: Role::Teacher },
    Person { name: "Sofia Alves", email: "sofia@tutor.test", timezone: "America/Sao_Paulo", role: Role::Teacher },
    Person { name: "Diego Ramírez", email: "diego@tutor.test", timezone: "America/Mexico_City", role: Role::Teacher },
    Person { name: "Ana Kovač", email: "ana@tutor.test", timezone: "Europe/Zagreb", role: Role::Teacher },
    Person { name: "Maya Chen", email: "maya@student.test", timezone: "America/New_York", role: Role::Student },
    Person { name: "Kenji Sato", email: "kenji@student.test", timezone: "Asia/Tokyo", role: Role::Student },
    Person { name: "Lena Fischer", email: "lena@student.test", timezone: "Europe/Berlin", role: Role::Student },
];

struct CourseSeed {
    title: &'static str,
    minutes: i32,
    included: i32,
    /// US cents per session beyond those included.
    price_cents: i32,
    description: &'static str,
}

const COURSES: &[CourseSeed] = &[
    CourseSeed {
        title: "Algebra I",
        minutes: 60,
        included: 8,
        price_cents: 2500,
        description: "Linear equations, inequalities, functions and graphs, taught by students who aced it last year.",
    },
    CourseSeed {
        title: "Conversational Spanish",
        minutes: 30,
        included: 12,
        price_cents: 1500,
        description: "Short, friendly conversation practice to build fluency and confidence.",
    },
    CourseSeed {
        title: "Intro to Python",
        minutes: 45,
        included: 6,
        price_cents: 2000,
        description: "Variables, loops, functions and your first small programs.",
    },
];

/// One Student-Teacher teaching one course.
struct Teaching {
    email: &'static str,
    course: &'static str,
    active: bool,
    taught: i32,
    rating: Option<f64>,
    bio: &'static str,
}

const TEACHING: &[Teaching] = &[
    Teaching {
        email: "priya@tutor.test",
        course: "Algebra I",
        active: true,
        taught: 42,
        rating: Some(4.9),
        bio: "Math olympiad finalist who loves turning word problems into pictures.",
    },
    Teaching {
        email: "tom@tutor.test",
        course: "Algebra I",
        active: true,
        taught: 31,
        rating: Some(4.7),
        bio: "Engineering student; patient with fractions and fond of worked examples.",
    },
    Teaching {
        email: "aarav@tutor.test",
        course: "Algebra I",
        active: true,
        taught: 3,
        rating: None,
        bio: "New Student-Teacher with weekend mornings free for algebra practice.",
    },
    Teaching {
        email: "sofia@tutor.test",
        course: "Algebra I",
        active: true,
        taught: 57,
        rating: Some(4.8),
        bio: "Teaching assistant for two years; explains every step twice if you like.",
    },
    Teaching {
        email: "sofia@tutor.test",
        course: "Conversational Spanish",
        active: true,
        taught: 64,
        rating: Some(4.9),
        bio: "Native Portuguese and Spanish speaker; conversation over grammar drills.",
    },
    Teaching {
        email: "diego@tutor.test",
        course: "Conversational Spanish",
        active: true,
        taught: 23,
        rating: Some(4.6),
        bio: "From Mexico City; everyday Spanish, slang included.",
    },
    Teaching {
        email: "ana@tutor.test",
        course: "Intro to Python",
        active: false,
        taught: 12,
        rating: Some(4.5),
        bio: "Backend developer in training; currently on exam leave.",
    },
];

/// (teacher email, ISO weekdays, start, end) in the teacher's own timezone.
const HOURS: &[(&str, &[i16], &str, &str)] = &[
    ("priya@tutor.test", &[1, 2, 3, 4, 5], "17:00", "21:00"),
    ("tom@tutor.test", &[2, 4], "08:00", "12:00"),
    ("tom@tutor.test", &[6], "10:00", "14:00"),
    ("aarav@tutor.test", &[7], "06:00", "09:00"),
    ("sofia@tutor.test", &[1, 3, 5], "09:00", "13:00"),
    ("sofia@tutor.test", &[1, 3, 5], "18:00", "20:00"),
    ("diego@tutor.test", &[1, 2, 3, 4, 5, 6, 7], "07:00", "10:00"),
    ("ana@tutor.test", &[1, 2, 3, 4, 5], "10:00", "16:00"),
];

const ENROLLMENTS: &[(&str, &str)] = &[
    ("maya@student.test", "Algebra I"),
    ("maya@student.test", "Conversational Spanish"),
    ("kenji@student.test", "Algebra I"),
    ("kenji@student.test", "Intro to Python"),
    ("lena@student.test", "Conversational Spanish"),
];

/// (student, teacher, course, weeks ahead, ISO weekday, local start time in the teacher's zone)
const SESSIONS: &[(&str, &str, &str, i64, u32, &str)] = &[
    ("maya@student.test", "tom@tutor.test", "Algebra I", 1, 2, "09:00"),
    ("kenji@student.test", "sofia@tutor.test", "Algebra I", 1, 1, "10:00"),
    ("lena@student.test", "sofia@tutor.test", "Conversational Spanish", 1, 3, "18:00"),
    ("kenji@student.test", "sofia@tutor.test", "Algebra I", 2, 5, "11:00"),
    ("lena@student.test", "sofia@tutor.test", "Conversational Spanish", 2, 1, "12:00"),
];

/// Seeds the demo world if the database has no users yet. Returns whether it seeded.
pub async fn seed_if_empty(db: &DatabaseConnection, video: &dyn VideoProvider, now: DateTime<Utc>) -> Result<bool, DbErr> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    seed(db, video, now).await?;
    Ok(true)
}

/// Whether the demo's published password logs in here (a database seeded with the demo, and
/// not since changed): only then may the login page mention it.
pub async fn demo_login_works(db: &DatabaseConnection) -> Result<bool, DbErr> {
    // A student's account: the ones the login page offers.
    let Some(student) = PEOPLE.iter().find(|p| p.role == Role::Student) else { return Ok(false) };
    let demo = user::Entity::find().filter(user::Column::Email.eq(student.email)).one(db).await?;
    Ok(demo.is_some_and(|u| verify_password(DEMO_PASSWORD, &u.password_hash)))
}

/// The demo world; its sessions get video rooms as booked ones do.
pub async fn seed(db: &DatabaseConnection, video: &dyn VideoProvider, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    let mut users = std::collections::HashMap::new();
    for p in PEOPLE {
        let model = user::ActiveModel {
            name: Set(p.name.into()),
            email: Set(p.email.into()),
            avatar_url: Set(None),
            timezone: Set(p.timezone.into()),
            password_hash: Set(hash_password(DEMO_PASSWORD)),
            role: Set(p.role),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        users.insert(p.email, model);
    }
    let mut courses = std::collections::HashMap::new();
    for c in COURSES {
        let model = course::ActiveModel {
            title: Set(c.title.into()),
            description: Set(c.description.into()),
            session_minutes: Set(c.minutes),
            sessions_included: Set(c.included),
            session_price_cents: Set(Some(c.price_cents)),
            currency: Set("usd".into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        courses.insert(c.title, model);
    }
    for &Teaching { email, course: title, active: is_active, taught: students_taught, rating, bio } in TEACHING {
        student_teacher::ActiveModel {
            user_id: Set(users[email].id),
            course_id: Set(courses[title].id),
            is_active: Set(is_active),
            bio: Set(bio.into()),
            students_taught: Set(students_taught),
            rating: Set(rating),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for &(email, days, start, end) in HOURS {
        for &day in days {
            availability::ActiveModel {
                teacher_id: Set(users[email].id),
                day_of_week: Set(day),
                start_time: Set(start.into()),
                end_time: Set(end.into()),
                timezone: Set(users[email].timezone.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    for &(email, title) in ENROLLMENTS {
        enrollment::ActiveModel {
            student_id: Set(users[email].id),
            course_id: Set(courses[title].id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for &(student, teacher, title, weeks, weekday, time) in SESSIONS {
        let tz: Tz = users[teacher].timezone.parse().expect("seed timezones are valid");
        let start = local_instant(now, tz, weeks, weekday, time);
        session::ActiveModel {
            course_id: Set(courses[title].id),
            student_id: Set(users[student].id),
            teacher_id: Set(users[teacher].id),
            start_at: Set(start),
            end_at: Set(start + Duration::minutes(courses[title].session_minutes.into())),
            status: Set(SessionStatus::Scheduled),
            note: Set(String::new()),
            reminders: Set(true),
            created_at: Set(now),
            video_url: Set(Some(video.new_room())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await
}

/// `time` on ISO `weekday` of the week `weeks` after the current one, in `tz`.
fn local_instant(now: DateTime<Utc>, tz: Tz, weeks: i64, weekday: u32, time: &str) -> DateTime<Utc> {
    let today: NaiveDate = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(today.weekday().num_days_from_monday().into());
    let date = monday + Duration::weeks(weeks) + Duration::days(i64::from(weekday) - 1);
    let time = NaiveTime::parse_from_str(time, "%H:%M").expect("seed times are valid");
    tz.from_local_datetime(&date.and_time(time)).earliest().expect("seed times exist").with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_week_is_counted_from_the_teachers_own_date() {
        // Sunday 23:30 in New York is already Monday in London: "next week" follows London.
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 4, 30, 0).unwrap();
        let start = local_instant(now, chrono_tz::Europe::London, 1, 2, "09:00");
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap());
    }
}
