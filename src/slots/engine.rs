//! The contract's rules 1–8, applied in one pass.
//!
//! Instants are handled as whole seconds since the Unix epoch: every window edge comes from
//! tzdata (whole seconds) and every step and duration is whole minutes, so candidates are
//! whole seconds. Inputs that may carry fractions (`now`, busy times) are rounded in the
//! direction that keeps each comparison exact (see [`floor`] and [`ceil`]).

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::local_time::{resolve, Edge};
use super::{Conflict, Interval, Slot, SlotQuery, SlotRejection, SlotResult, WeeklyRule};

const DAY: i64 = 86_400;

/// Every start time the contract allows for `q`, in order, with the student's conflicts marked,
/// plus the `days` that have a bookable slot and the first bookable start.
///
/// Returns an empty result when `q.policy` fails [`Policy::validate`](super::Policy::validate).
pub fn compute_slots(q: &SlotQuery) -> SlotResult {
    if q.policy.validate().is_err() {
        return SlotResult::default();
    }
    let duration = q.policy.duration_minutes * 60;
    let step = q.policy.step_minutes * 60;
    let buffer = q.policy.buffer_minutes * 60;

    // Rule 6 keeps starts whose viewer date is in the range. No offset reaches a whole day,
    // so those starts lie within a day of the range's UTC bounds: a coarse cut that bounds the
    // work before the exact per-slot check below.
    let from_day = epoch_day(q.from);
    let to_day = epoch_day(q.to);
    // Rule 5.
    let first = (ceil(q.now) + q.policy.minimum_notice_minutes * 60).max((from_day - 1) * DAY);
    let last = (floor(q.now) + q.policy.horizon_days * DAY).min((to_day + 2) * DAY);
    if first > last {
        return SlotResult::default();
    }

    let windows = windows(q, instant(first).date_naive(), instant(last).date_naive());
    let blocked = blocked_starts(q.busy, duration, buffer);
    let student_busy = student_busy(q.student_busy);
    let mut viewer = ViewerClock::new(q.viewer_timezone);
    let (mut utc_dates, mut local_dates) = (DateCache::new(), DateCache::new());
    let (mut next_blocked, mut next_student_busy) = (0, 0);
    let mut slots = Vec::new();

    // Windows are disjoint and sorted, so candidates come in increasing order and both busy
    // lists are swept once with a moving index.
    for &(window_start, window_end) in &windows {
        let last_start = (window_end - duration).min(last);
        // Rule 3, starting at the first grid point not before `first`.
        let mut start = window_start + ceil_div((first - window_start).max(0), step) * step;
        while start <= last_start {
            // Rule 4: jump past the whole busy block in one go.
            while blocked.get(next_blocked).is_some_and(|&(_, hi)| hi <= start) {
                next_blocked += 1;
            }
            if let Some(&(_, hi)) = blocked.get(next_blocked).filter(|&&(lo, _)| lo < start) {
                start = window_start + ceil_div(hi - window_start, step) * step;
                continue;
            }
            let end = start + duration;
            let offset = viewer.offset_at(start);
            // Rule 6, exactly.
            if (from_day..=to_day).contains(&(start + i64::from(offset)).div_euclid(DAY)) {
                // Rule 7.
                while student_busy.get(next_student_busy).is_some_and(|&(_, be)| be <= start) {
                    next_student_busy += 1;
                }
                let conflict = student_busy.get(next_student_busy).is_some_and(|&(bs, _)| bs < end).then_some(Conflict::StudentBusy);
                let local_start = local_dates.at(start + i64::from(offset));
                slots.push(Slot {
                    start: utc_dates.at(start).and_utc(),
                    end: utc_dates.at(end).and_utc(),
                    local_date: local_start.date(),
                    local_start: local_start.time(),
                    local_end: time_of_day(end + i64::from(viewer.offset_at(end))),
                    utc_offset_seconds: offset,
                    conflict,
                });
            }
            start += step;
        }
    }

    // A viewer's local date can step back at a transition at midnight, hence the sort.
    let mut days: Vec<NaiveDate> = slots.iter().filter(|s| s.is_bookable()).map(|s| s.local_date).collect();
    days.sort_unstable();
    days.dedup();
    let next_available = slots.iter().find(|s| s.is_bookable()).map(|s| s.start);
    SlotResult { slots, days, next_available }
}

/// Whether the student may book `start`, decided by [`compute_slots`] itself over the viewer
/// date of `start` (the query's own `from` and `to` are not used), so that booking accepts
/// exactly the starts that were listed.
pub fn check_slot(q: &SlotQuery, start: DateTime<Utc>) -> Result<Slot, SlotRejection> {
    let date = start.with_timezone(&q.viewer_timezone).date_naive();
    let listed = compute_slots(&SlotQuery { from: date, to: date, ..*q });
    let slot = listed.slots.iter().find(|slot| slot.start == start).ok_or(SlotRejection::Unavailable)?;
    match slot.conflict {
        None => Ok(*slot),
        Some(Conflict::StudentBusy) => Err(SlotRejection::StudentBusy),
    }
}

/// Rules 1 and 2: the weekly windows of every rule-local date from two days before `first` to
/// two days after `last` (a window lies within a day and a day's offset of its date), less the
/// time off, with the extra hours added, merged.
fn windows(q: &SlotQuery, first: NaiveDate, last: NaiveDate) -> Vec<(i64, i64)> {
    let weekly = merge(weekly_windows(q.rules, first, last), Join::Touching);
    // A candidate [s, s + duration] must avoid time off entirely (outwards) and fit inside
    // extra hours (inwards); both only matter at whole seconds.
    let off = merge(q.time_off.iter().filter(|i| i.start < i.end).map(|i| (floor(i.start), ceil(i.end))).collect(), Join::Touching);
    let mut windows = cut(&weekly, &off);
    windows.extend(q.extra.iter().map(|i| (ceil(i.start), floor(i.end))).filter(|(start, end)| start < end));
    merge(windows, Join::Touching)
}

/// Rule 1, each window as an instant span, unmerged.
fn weekly_windows(rules: &[WeeklyRule], first: NaiveDate, last: NaiveDate) -> Vec<(i64, i64)> {
    let first = first.checked_sub_days(Days::new(2)).unwrap_or(NaiveDate::MIN);
    let last = last.checked_add_days(Days::new(2)).unwrap_or(NaiveDate::MAX);
    let mut windows = Vec::new();
    for rule in rules.iter().filter(|r| (1..=7).contains(&r.day_of_week)) {
        let ahead = (i64::from(rule.day_of_week) - i64::from(first.weekday().number_from_monday())).rem_euclid(7);
        let mut date = first.checked_add_days(Days::new(ahead as u64));
        while let Some(d) = date.filter(|d| *d <= last) {
            let start = resolve(rule.timezone, d, rule.start, Edge::Start);
            let end = resolve(rule.timezone, d, rule.end, Edge::End);
            if let (Some(start), Some(end)) = (start, end) {
                // Empty when both ends fall into the same gap (or `end` is not after `start`).
                if start < end {
                    windows.push((start.timestamp(), end.timestamp()));
                }
            }
            date = d.checked_add_days(Days::new(7));
        }
    }
    windows
}

/// `windows` without the spans `off`, both sorted and disjoint. What is left of a window
/// keeps the edge it shares with the time off: a session may end as time off begins.
fn cut(windows: &[(i64, i64)], off: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut left = Vec::with_capacity(windows.len());
    let mut first_off = 0;
    for &(mut start, end) in windows {
        while off.get(first_off).is_some_and(|&(_, hi)| hi <= start) {
            first_off += 1;
        }
        for &(lo, hi) in off[first_off..].iter().take_while(|&&(lo, _)| lo < end) {
            if start < lo {
                left.push((start, lo));
            }
            start = start.max(hi);
        }
        if start < end {
            left.push((start, end));
        }
    }
    left
}

/// Rule 4 turned around: the starts that busy session [bs, be) forbids are exactly those with
/// bs - duration - buffer < s < be + buffer. Returns these open intervals, sorted and merged.
fn blocked_starts(busy: &[Interval], duration: i64, buffer: i64) -> Vec<(i64, i64)> {
    let blocked = sessions(busy).map(|(bs, be)| (bs - duration - buffer, be + buffer)).collect();
    // Open intervals that only share an endpoint leave that endpoint allowed.
    merge(blocked, Join::Overlapping)
}

/// The student's sessions, sorted and merged. Merging touching sessions keeps rule 7's test
/// (`s < be` and `bs < e`) unchanged.
fn student_busy(busy: &[Interval]) -> Vec<(i64, i64)> {
    merge(sessions(busy).collect(), Join::Touching)
}

/// Sessions as whole seconds, widened outwards: for a whole-second `s`, `s < be` exactly when
/// `s < ceil(be)`, and `bs < s` exactly when `floor(bs) < s`. Reversed ones are not sessions.
fn sessions(busy: &[Interval]) -> impl Iterator<Item = (i64, i64)> + '_ {
    busy.iter().filter(|b| b.start <= b.end).map(|b| (floor(b.start), ceil(b.end)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// Spans that share only an endpoint are merged too (closed or half-open spans).
    Touching,
    /// Spans must share more than an endpoint (open spans).
    Overlapping,
}

/// Sorts spans and merges those that `join`, leaving disjoint spans in increasing order.
fn merge(mut spans: Vec<(i64, i64)>, join: Join) -> Vec<(i64, i64)> {
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (lo, hi) in spans {
        match merged.last_mut() {
            Some(last) if lo < last.1 || (join == Join::Touching && lo == last.1) => {
                last.1 = last.1.max(hi);
            }
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

/// The viewer's UTC offset at increasing instants, looked up once per span of constant offset
/// rather than once per slot.
struct ViewerClock {
    tz: Tz,
    /// `offset` holds for every instant in `known`.
    known: std::ops::Range<i64>,
    offset: i32,
}

impl ViewerClock {
    /// How far a lookup looks ahead. tzdata has no pair of offset changes less than a day apart
    /// that cancel out, so equal offsets a day apart mean no change in between.
    const LOOKAHEAD: i64 = DAY;

    fn new(tz: Tz) -> Self {
        ViewerClock { tz, known: 0..0, offset: 0 }
    }

    fn offset_at(&mut self, t: i64) -> i32 {
        if !self.known.contains(&t) {
            let offset = self.lookup(t);
            let mut until = t + Self::LOOKAHEAD;
            if self.lookup(until) != offset {
                // Bisect for the change: `offset` holds at `held`, not at `until`.
                let mut held = t;
                while until - held > 1 {
                    let mid = held + (until - held) / 2;
                    if self.lookup(mid) == offset {
                        held = mid;
                    } else {
                        until = mid;
                    }
                }
            }
            self.known = t..until;
            self.offset = offset;
        }
        self.offset
    }

    fn lookup(&self, t: i64) -> i32 {
        self.tz.offset_from_utc_datetime(&instant(t).naive_utc()).fix().local_minus_utc()
    }
}

/// Builds date-times from seconds since the epoch. Making a date from a day number is the
/// costliest step of building a slot, and consecutive slots share dates, so the last is kept.
struct DateCache {
    day: i64,
    date: NaiveDate,
}

impl DateCache {
    fn new() -> Self {
        DateCache { day: 0, date: DateTime::UNIX_EPOCH.date_naive() }
    }

    fn at(&mut self, t: i64) -> NaiveDateTime {
        let day = t.div_euclid(DAY);
        if day != self.day {
            self.day = day;
            self.date = instant(day * DAY).date_naive();
        }
        self.date.and_time(time_of_day(t))
    }
}

fn time_of_day(t: i64) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(t.rem_euclid(DAY) as u32, 0).expect("less than a day")
}

/// The instant `t` seconds after the epoch, clamped to chrono's range (only reachable with
/// dates at the ends of chrono's calendar).
fn instant(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or(if t < 0 { DateTime::<Utc>::MIN_UTC } else { DateTime::<Utc>::MAX_UTC })
}

fn floor(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn ceil(t: DateTime<Utc>) -> i64 {
    t.timestamp() + i64::from(t.timestamp_subsec_nanos() > 0)
}

/// Days since 1970-01-01.
fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// `a / b` rounded up, for `a >= 0` and `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_joins_touching_spans_only_when_asked() {
        let spans = vec![(5, 8), (0, 3), (3, 4), (7, 10)];
        assert_eq!(merge(spans.clone(), Join::Touching), [(0, 4), (5, 10)]);
        assert_eq!(merge(spans, Join::Overlapping), [(0, 3), (3, 4), (5, 10)]);
    }

    #[test]
    fn cut_leaves_what_time_off_does_not_cover() {
        let windows = [(0, 10), (20, 30), (40, 50)];
        // In the middle of one, across the gap between two, over a whole one, touching an edge.
        assert_eq!(cut(&windows, &[(2, 4), (8, 22), (38, 52)]), [(0, 2), (4, 8), (22, 30)]);
        assert_eq!(cut(&windows, &[(10, 20), (30, 40)]), windows);
        assert_eq!(cut(&windows, &[]), windows);
        assert_eq!(cut(&windows, &[(-5, 100)]), []);
    }

    #[test]
    fn viewer_clock_agrees_with_direct_lookups_across_transitions() {
        for tz in [chrono_tz::America::New_York, chrono_tz::Australia::Lord_Howe, chrono_tz::Pacific::Apia] {
            let mut clock = ViewerClock::new(tz);
            // 2011-09-01 to 2012-05-01 every 7 minutes: Apia's skipped day, two DST changes each.
            for t in (1_314_835_200..1_335_830_400).step_by(7 * 60) {
                assert_eq!(clock.offset_at(t), clock.lookup(t), "{tz} at {t}");
            }
        }
    }

    #[test]
    fn epoch_day_counts_from_1970() {
        let day = |s: &str| epoch_day(s.parse().unwrap());
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("1969-12-31"), -1);
        assert_eq!(day("2026-03-08"), 20_520);
    }
}
