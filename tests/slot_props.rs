//! Property tests of the slot engine against docs/slot-rules.md: random weekly rules in
//! zones with unusual offsets and transitions, random busy sets, random `now` and policies.
//!
//! The windows are rebuilt here independently of the engine (by walking local times minute by
//! minute over gaps instead of asking chrono-tz where a gap ends, and cutting the timeline into
//! pieces at every edge for time off and extra hours), and a brute-force model of the whole
//! contract checks that the engine lists exactly the starts it should.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, DurationRound, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use session_booking::slots::{
    check_slot, compute_slots, Conflict, Interval, LocalTime, Policy, Slot, SlotQuery, SlotRejection, SlotResult, WeeklyRule,
};

/// DST zones both hemispheres, half- and quarter-hour offsets (Kolkata, Kathmandu, Chatham,
/// St John's), a 30-minute DST (Lord Howe), both sides of the date line, a skipped day (Apia),
/// transitions at midnight (São Paulo, Havana) and a permanent change (Moscow).
const ZONES: &[&str] = &[
    "UTC",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Pacific/Apia",
    "America/Sao_Paulo",
    "America/Havana",
    "America/St_Johns",
    "America/Santiago",
];

/// Offset changes in those zones, so that random queries meet them often.
const TRANSITIONS: &[(&str, &str)] = &[
    ("2011-12-30", "Pacific/Apia"),      // skips a day
    ("2014-10-26", "Europe/Moscow"),     // permanently
    ("2018-11-04", "America/Sao_Paulo"), // at midnight
    ("2025-11-02", "America/Havana"),    // at midnight
    ("2026-03-08", "America/New_York"),
    ("2026-03-29", "Europe/Berlin"),
    ("2026-04-05", "Australia/Lord_Howe"), // half an hour
    ("2026-04-05", "Pacific/Chatham"),
    ("2026-09-27", "Pacific/Auckland"),
    ("2026-10-04", "Australia/Lord_Howe"),
    ("2026-11-01", "America/New_York"),
    ("2026-11-01", "America/St_Johns"),
];

fn zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(ZONES).prop_map(|name| name.parse().unwrap())
}

/// Where a scenario's rules and viewer gather, so that they often meet an offset change.
#[derive(Debug, Clone, Copy)]
struct Focus {
    zone: Tz,
    day_of_week: u8,
}

/// `now` and a focus: either a few days before one of the transitions above, focused on its
/// zone and weekday, or any minute from 2010 to 2027 with any zone and day.
fn now_and_focus() -> impl Strategy<Value = (DateTime<Utc>, Focus)> {
    let near_transition = (prop::sample::select(TRANSITIONS), -4 * 1440i64..1440).prop_map(|((date, zone), minutes)| {
        let date: NaiveDate = date.parse().unwrap();
        let day_of_week = date.weekday().number_from_monday() as u8;
        let now = date.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::minutes(minutes);
        (now, Focus { zone: zone.parse().unwrap(), day_of_week })
    });
    let anywhere = (1_262_304_000i64 / 60..1_798_761_600 / 60, zone(), 1u8..=7)
        .prop_map(|(minute, zone, day_of_week)| (DateTime::from_timestamp(minute * 60, 0).unwrap(), Focus { zone, day_of_week }));
    prop_oneof![2 => near_transition, 1 => anywhere]
}

fn rule(focus: Focus) -> impl Strategy<Value = WeeklyRule> {
    // Mostly half-hour bounds, often ending at 24:00; sometimes any minute.
    let on_grid = (0u16..48, 1u16..=48).prop_map(|(start, len)| (start * 30, (start * 30 + len * 30).min(1440)));
    let any_minute = (0u16..1440, 1u16..=1440).prop_map(|(start, len)| (start, (start + len).min(1440)));
    let anywhere = (1u8..=7, prop_oneof![3 => on_grid, 1 => any_minute], zone());
    // Starting in the small hours of the focus day, when clocks usually change.
    let focused = (Just(focus.day_of_week), (0u16..=16, 1u16..=96), Just(focus.zone))
        .prop_map(|(day, (start, len), zone)| (day, (start * 15, (start * 15 + len * 15).min(1440)), zone));
    prop_oneof![anywhere, focused].prop_map(|(day_of_week, (start, end), timezone)| WeeklyRule {
        day_of_week,
        start: LocalTime::from_minutes(start).unwrap(),
        end: LocalTime::from_minutes(end).unwrap(),
        timezone,
    })
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::sample::select(&[15i64, 30, 45, 50, 60, 90, 120][..]),
        prop::sample::select(&[10i64, 15, 20, 25, 30, 45, 60][..]),
        0i64..=60,
        prop_oneof![3 => 0i64..=240, 1 => 0i64..=3000],
        prop_oneof![19 => 1i64..=30, 1 => Just(0)],
    )
        .prop_map(|(duration_minutes, step_minutes, buffer_minutes, minimum_notice_minutes, horizon_days)| Policy {
            duration_minutes,
            step_minutes,
            buffer_minutes,
            minimum_notice_minutes,
            horizon_days,
        })
}

/// Sessions starting from a day before `now` to a week after, on a 5-minute grid so that they
/// often touch candidates and buffers exactly.
fn sessions(max: usize) -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((-288i64..2016, 0i64..=48), 0..max).prop_map(|v| v.into_iter().map(|(start, len)| (start * 5, len * 5)).collect())
}

/// Time off or extra hours: up to `max` spans of 5 minutes to `longest` × 5 minutes, starting
/// from a day before `now` to a week after, on a 5-minute grid so that they often meet windows'
/// edges, sessions and each other exactly.
fn hours(max: usize, longest: i64) -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((-288i64..2016, 1i64..=longest), 0..max)
        .prop_map(|v| v.into_iter().map(|(start, len)| (start * 5, len * 5)).collect())
}

#[derive(Debug, Clone)]
struct Scenario {
    now: DateTime<Utc>,
    viewer: Tz,
    other_viewer: Tz,
    from: NaiveDate,
    to: NaiveDate,
    policy: Policy,
    rules: Vec<WeeklyRule>,
    time_off: Vec<Interval>,
    extra: Vec<Interval>,
    busy: Vec<Interval>,
    student_busy: Vec<Interval>,
    probe: DateTime<Utc>,
}

impl Scenario {
    fn query(&self) -> SlotQuery<'_> {
        SlotQuery {
            now: self.now,
            viewer_timezone: self.viewer,
            from: self.from,
            to: self.to,
            policy: &self.policy,
            rules: &self.rules,
            time_off: &self.time_off,
            extra: &self.extra,
            busy: &self.busy,
            student_busy: &self.student_busy,
        }
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    now_and_focus()
        .prop_flat_map(|(now, focus)| {
            (
                (Just(now), prop_oneof![Just(focus.zone), zone()], zone(), -1i64..4, 0u64..7),
                (policy(), prop::collection::vec(rule(focus), 1..10), sessions(12), sessions(6)),
                (hours(4, 3 * 288), hours(3, 144)),
                0i64..9 * 288,
            )
        })
        .prop_map(|((now, viewer, other_viewer, from_ahead, days), (policy, rules, busy, student_busy), (time_off, extra), probe)| {
            let intervals = |v: Vec<(i64, i64)>| {
                v.into_iter()
                    .map(|(start, len)| {
                        let start = now + Duration::minutes(start);
                        Interval { start, end: start + Duration::minutes(len) }
                    })
                    .collect()
            };
            let from = now.with_timezone(&viewer).date_naive() + Duration::days(from_ahead);
            Scenario {
                now,
                viewer,
                other_viewer,
                from,
                to: from + chrono::Days::new(days),
                policy,
                rules,
                time_off: intervals(time_off),
                extra: intervals(extra),
                busy: intervals(busy),
                student_busy: intervals(student_busy),
                // On a 5-minute grid from the start of `now`'s UTC day, so that it often is a slot.
                probe: now.duration_trunc(Duration::days(1)).unwrap() + Duration::minutes(probe * 5),
            }
        })
}

// ---- An independent model of the contract ----

/// Rule 1, by walking: a nonexistent local time is moved forward minute by minute to the
/// first one that exists, whose first instant is the jump.
fn model_instant(tz: Tz, local: NaiveDateTime, is_end: bool) -> DateTime<Utc> {
    let mut t = local;
    loop {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(x) => return x.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => return if is_end { b } else { a }.with_timezone(&Utc),
            LocalResult::None => t += Duration::minutes(1),
        }
    }
}

/// The windows of every rule on dates from `first` to `last` (rule-local), unmerged.
fn model_windows(rules: &[WeeklyRule], first: NaiveDate, last: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut windows = Vec::new();
    for date in first.iter_days().take_while(|d| *d <= last) {
        for rule in rules.iter().filter(|r| u32::from(r.day_of_week) == date.weekday().number_from_monday()) {
            let at = |time: LocalTime| date.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(i64::from(time.minutes()));
            let start = model_instant(rule.timezone, at(rule.start), false);
            let end = model_instant(rule.timezone, at(rule.end), true);
            if start < end {
                windows.push((start, end));
            }
        }
    }
    windows
}

/// Rule 2 by elementary pieces: every edge of a weekly window, a time off or an extra span cuts
/// the timeline, each piece between two edges is open when its midpoint is (in a weekly window
/// and in no time off, or in extra hours), and touching open pieces join into one window.
fn model_union(s: &Scenario, weekly: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let spans = |v: &[Interval]| v.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>();
    let (off, extra) = (spans(&s.time_off), spans(&s.extra));
    let mut edges: Vec<DateTime<Utc>> = [&weekly, &off, &extra].iter().flat_map(|v| v.iter().flat_map(|&(a, b)| [a, b])).collect();
    edges.sort();
    edges.dedup();
    let inside = |v: &[(DateTime<Utc>, DateTime<Utc>)], t: DateTime<Utc>| v.iter().any(|&(a, b)| a < t && t < b);
    let mut union: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for piece in edges.windows(2) {
        let mid = piece[0] + (piece[1] - piece[0]) / 2;
        if !((inside(&weekly, mid) && !inside(&off, mid)) || inside(&extra, mid)) {
            continue;
        }
        match union.last_mut() {
            Some(last) if last.1 == piece[0] => last.1 = piece[1],
            _ => union.push((piece[0], piece[1])),
        }
    }
    union
}

fn tutor_busy_blocks(s: &Scenario, start: DateTime<Utc>) -> bool {
    let duration = Duration::minutes(s.policy.duration_minutes);
    let buffer = Duration::minutes(s.policy.buffer_minutes);
    s.busy.iter().any(|b| start < b.end + buffer && b.start < start + duration + buffer)
}

fn student_busy_overlaps(s: &Scenario, start: DateTime<Utc>) -> bool {
    let end = start + Duration::minutes(s.policy.duration_minutes);
    s.student_busy.iter().any(|b| start < b.end && b.start < end)
}

fn within_notice_and_horizon(s: &Scenario, start: DateTime<Utc>) -> bool {
    start >= s.now + Duration::minutes(s.policy.minimum_notice_minutes) && start <= s.now + Duration::days(s.policy.horizon_days)
}

fn viewer_date(tz: Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Rules 1–8 by brute force: every start the contract allows, with its conflict flag.
fn model_slots(s: &Scenario) -> Vec<(DateTime<Utc>, bool)> {
    let windows = model_windows(&s.rules, s.from - Duration::days(3), s.to + Duration::days(3));
    let duration = Duration::minutes(s.policy.duration_minutes);
    let step = Duration::minutes(s.policy.step_minutes);
    let mut starts = Vec::new();
    for (window_start, window_end) in model_union(s, windows) {
        let mut start = window_start;
        while start + duration <= window_end {
            let date = viewer_date(s.viewer, start);
            if !tutor_busy_blocks(s, start) && within_notice_and_horizon(s, start) && s.from <= date && date <= s.to {
                starts.push((start, student_busy_overlaps(s, start)));
            }
            start += step;
        }
    }
    starts
}

fn instants(result: &SlotResult) -> Vec<(DateTime<Utc>, bool)> {
    result.slots.iter().map(|slot| (slot.start, slot.conflict.is_some())).collect()
}

// ---- The invariants ----

fn assert_covered_by_a_window(s: &Scenario, slot: &Slot) {
    // Rule-local dates around the slot, in every rule's timezone.
    let around = |tz: Tz| (viewer_date(tz, slot.start) - Duration::days(1), viewer_date(tz, slot.end));
    let mut windows = Vec::new();
    for rule in &s.rules {
        let (first, last) = around(rule.timezone);
        windows.extend(model_windows(std::slice::from_ref(rule), first, last));
    }
    let covered = model_union(s, windows).iter().any(|&(start, end)| start <= slot.start && slot.end <= end);
    assert!(covered, "{slot:?} lies outside every window of {:?} less {:?} with {:?}", s.rules, s.time_off, s.extra);
}

fn assert_labels(tz: Tz, slot: &Slot) {
    let start = slot.start.with_timezone(&tz);
    assert_eq!(slot.local_date, start.date_naive());
    assert_eq!(slot.local_start, start.time());
    assert_eq!(slot.local_end, slot.end.with_timezone(&tz).time());
    assert_eq!(slot.utc_offset_seconds, start.offset().fix().local_minus_utc());
}

fn assert_days_and_next_available(result: &SlotResult) {
    let bookable = || result.slots.iter().filter(|slot| slot.conflict.is_none());
    let days: Vec<NaiveDate> = bookable().map(|slot| slot.local_date).collect::<BTreeSet<_>>().into_iter().collect();
    assert_eq!(result.days, days);
    assert_eq!(result.next_available, bookable().next().map(|slot| slot.start));
}

proptest! {
    #[test]
    fn slots_obey_every_rule(s in scenario()) {
        let result = compute_slots(&s.query());
        let duration = Duration::minutes(s.policy.duration_minutes);
        let buffer = Duration::minutes(s.policy.buffer_minutes);
        prop_assert!(result.slots.windows(2).all(|w| w[0].start < w[1].start), "not sorted or repeated");
        for slot in &result.slots {
            prop_assert_eq!(slot.end - slot.start, duration);
            for b in &s.busy {
                prop_assert!(
                    slot.end + buffer <= b.start || b.end + buffer <= slot.start,
                    "{:?} within {:?} of busy {:?}", slot, buffer, b
                );
            }
            prop_assert!(within_notice_and_horizon(&s, slot.start), "{:?} outside notice/horizon", slot);
            prop_assert!(s.from <= slot.local_date && slot.local_date <= s.to, "{:?} outside range", slot);
            prop_assert_eq!(slot.conflict == Some(Conflict::StudentBusy), student_busy_overlaps(&s, slot.start));
            assert_covered_by_a_window(&s, slot);
            assert_labels(s.viewer, slot);
        }
        assert_days_and_next_available(&result);
        prop_assert_eq!(instants(&result), model_slots(&s), "differs from the brute-force model");
    }

    #[test]
    fn viewer_timezone_only_changes_grouping_and_labels(s in scenario()) {
        let narrow = compute_slots(&s.query());
        // The other viewer asks for two more days each side, which holds every instant above.
        let wide = compute_slots(&SlotQuery {
            viewer_timezone: s.other_viewer,
            from: s.from - Duration::days(2),
            to: s.to + Duration::days(2),
            ..s.query()
        });
        let in_narrow_range: Vec<_> = instants(&wide)
            .into_iter()
            .filter(|(start, _)| (s.from..=s.to).contains(&viewer_date(s.viewer, *start)))
            .collect();
        prop_assert_eq!(instants(&narrow), in_narrow_range);
        for slot in &wide.slots {
            assert_labels(s.other_viewer, slot);
        }
    }

    #[test]
    fn check_slot_agrees_with_compute_slots(s in scenario()) {
        let q = s.query();
        for slot in &compute_slots(&q).slots {
            let expected = match slot.conflict {
                None => Ok(*slot),
                Some(Conflict::StudentBusy) => Err(SlotRejection::StudentBusy),
            };
            prop_assert_eq!(check_slot(&q, slot.start), expected);
            // Off the step grid (the step is at least 10 minutes, windows are disjoint).
            let off_grid = slot.start + Duration::minutes(1);
            prop_assert_eq!(check_slot(&q, off_grid), Err(SlotRejection::Unavailable));
        }
        // Any instant, whatever the query's range, judged by the model over its viewer date.
        let date = viewer_date(s.viewer, s.probe);
        let around = Scenario { from: date, to: date, ..s.clone() };
        let expected = match model_slots(&around).into_iter().find(|&(start, _)| start == s.probe) {
            None => Err(SlotRejection::Unavailable),
            Some((_, true)) => Err(SlotRejection::StudentBusy),
            Some((_, false)) => Ok(s.probe),
        };
        prop_assert_eq!(check_slot(&q, s.probe).map(|slot| slot.start), expected);
    }
}
