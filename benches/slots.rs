//! Slot engine speed: `cargo bench --bench slots` (figures in BENCHMARKS.md).
//!
//! (a) one tutor's month: 5 weekly rules, 20 busy sessions;
//! (b) a course's month: 50 tutors in varied timezones, 5 rules and 200 busy sessions each,
//!     one `compute_slots` call per tutor, as the course page does.
//! Every tutor also has three days off and two date overrides (a day's weekly hours off and
//! three hours of their own instead) in the month.
//! Both: viewer America/New_York, March 2026 (both DST changes of the month included),
//! 60-minute sessions every 30 minutes, 15-minute buffer.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, Criterion};
use session_booking::slots::{compute_slots, Interval, LocalTime, Policy, SlotQuery, WeeklyRule};

const ZONES: &[&str] = &[
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

const POLICY: Policy = Policy { duration_minutes: 60, step_minutes: 30, buffer_minutes: 15, minimum_notice_minutes: 120, horizon_days: 60 };

struct Tutor {
    rules: Vec<WeeklyRule>,
    time_off: Vec<Interval>,
    extra: Vec<Interval>,
    busy: Vec<Interval>,
}

/// A small deterministic generator, so that every run measures the same calendars.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn month_start() -> DateTime<Utc> {
    "2026-03-01T00:00:00Z".parse().unwrap()
}

/// Weekday rules of 4 to 9 hours starting between 07:00 and 12:30 local time, and `busy`
/// one-hour sessions at random half hours of the month.
fn tutor(index: usize, busy: usize, rng: &mut Lcg) -> Tutor {
    let timezone: Tz = ZONES[index % ZONES.len()].parse().unwrap();
    let rules = (1..=5)
        .map(|day_of_week| {
            let start = 7 * 60 + 30 * rng.below(12) as u16;
            WeeklyRule {
                day_of_week,
                start: LocalTime::from_minutes(start).unwrap(),
                end: LocalTime::from_minutes(start + 60 * (4 + rng.below(6) as u16)).unwrap(),
                timezone,
            }
        })
        .collect();
    let busy = (0..busy)
        .map(|_| {
            let start = month_start() + Duration::minutes(30 * rng.below(31 * 48) as i64);
            Interval { start, end: start + Duration::hours(1) }
        })
        .collect();
    let day = |rng: &mut Lcg| month_start() + Duration::days(rng.below(31) as i64);
    let time_off = (0..5)
        .map(|_| {
            let start = day(rng);
            Interval { start, end: start + Duration::days(1) }
        })
        .collect();
    let extra = (0..2)
        .map(|_| {
            let start = day(rng) + Duration::hours(8 + rng.below(8) as i64);
            Interval { start, end: start + Duration::hours(3) }
        })
        .collect();
    Tutor { rules, time_off, extra, busy }
}

fn query(tutor: &Tutor) -> SlotQuery<'_> {
    SlotQuery {
        now: "2026-02-28T12:00:00Z".parse().unwrap(),
        viewer_timezone: chrono_tz::America::New_York,
        from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        policy: &POLICY,
        rules: &tutor.rules,
        time_off: &tutor.time_off,
        extra: &tutor.extra,
        busy: &tutor.busy,
        student_busy: &[],
    }
}

fn bench(c: &mut Criterion) {
    let mut rng = Lcg(42);
    let one = tutor(0, 20, &mut rng);
    let one = query(&one);
    c.bench_function("one_tutor_month", |b| b.iter(|| compute_slots(black_box(&one))));

    let course: Vec<Tutor> = (0..50).map(|i| tutor(i, 200, &mut rng)).collect();
    let course: Vec<SlotQuery> = course.iter().map(query).collect();
    let slots: usize = course.iter().map(|q| compute_slots(q).slots.len()).sum();
    println!("course month: {slots} slots over 50 tutors");
    c.bench_function("course_month_50_tutors", |b| {
        b.iter(|| {
            for q in &course {
                black_box(compute_slots(black_box(q)));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
