//! The month calendar's grid maths, pure and given "today" as an argument: the layout the server
//! renders (`pages::booking::calendar`) and the moves the keyboard makes in the browser
//! (`client::date_grid`), after the WAI-ARIA APG date grid: arrows move a day or a week, Home
//! and End to the week's first and last day, PageUp and PageDown a month; a move past either
//! end of the month continues in the adjacent month.
use chrono::{Datelike, NaiveDate};

/// Weekday names, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTH_NAMES: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// The calendar renders in the browser too: dates are read and named here rather than by
// chrono's parser and `format`, which would add their machinery to the wasm bundle.

/// A `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let (year, month, day) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    NaiveDate::from_ymd_opt(year, month, day)
}

/// "Tuesday, December 1"
pub fn day_name(day: NaiveDate) -> String {
    format!("{}, {} {}", WEEKDAY_NAMES[day.weekday().num_days_from_monday() as usize], MONTH_NAMES[day.month0() as usize], day.day())
}

/// "Tue, Dec 1"
pub fn short_day_name(day: NaiveDate) -> String {
    format!(
        "{}, {} {}",
        &WEEKDAY_NAMES[day.weekday().num_days_from_monday() as usize][..3],
        &MONTH_NAMES[day.month0() as usize][..3],
        day.day()
    )
}

/// "December 2026"
pub fn month_name(first: NaiveDate) -> String {
    format!("{} {}", MONTH_NAMES[first.month0() as usize], first.year())
}

/// The weeks of a month, Monday first; `None` pads the first and last week.
pub fn month_weeks(first: NaiveDate) -> Vec<[Option<NaiveDate>; 7]> {
    let lead = first.weekday().num_days_from_monday() as usize;
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| d.month() == first.month()).collect();
    let mut cells: Vec<Option<NaiveDate>> = std::iter::repeat_n(None, lead).chain(days.into_iter().map(Some)).collect();
    cells.resize(cells.len().div_ceil(7) * 7, None);
    cells.chunks(7).map(|week| week.try_into().expect("chunks of seven")).collect()
}

/// The day that holds the grid's one tab stop: the chosen date, else the first bookable day,
/// else today when it is in this month, else the 1st.
pub fn focus_day(first: NaiveDate, selected: Option<NaiveDate>, bookable: &[NaiveDate], today: NaiveDate) -> NaiveDate {
    let in_month = |d: &NaiveDate| d.year() == first.year() && d.month() == first.month();
    selected.filter(in_month).or_else(|| bookable.iter().copied().find(in_month)).or_else(|| Some(today).filter(in_month)).unwrap_or(first)
}

/// A key the date grid answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKey {
    PreviousDay,
    NextDay,
    PreviousWeek,
    NextWeek,
    WeekStart,
    WeekEnd,
    PreviousMonth,
    NextMonth,
}

impl GridKey {
    /// The key of a `KeyboardEvent.key` value, if the grid answers it.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "ArrowLeft" => Self::PreviousDay,
            "ArrowRight" => Self::NextDay,
            "ArrowUp" => Self::PreviousWeek,
            "ArrowDown" => Self::NextWeek,
            "Home" => Self::WeekStart,
            "End" => Self::WeekEnd,
            "PageUp" => Self::PreviousMonth,
            "PageDown" => Self::NextMonth,
            _ => return None,
        })
    }
}

/// Where a key sends focus from a day of the month on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridMove {
    /// A day of this month.
    Day(u32),
    /// A day of the previous month, once it is on screen.
    PreviousMonth(Landing),
    /// A day of the next month, once it is on screen.
    NextMonth(Landing),
}

/// The day to focus in a month that is not on screen yet, whose length is known only then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// The n-th day, or the month's last when it is shorter (PageUp from March 31st).
    Day(u32),
    /// Counted back from the month's last day: 0 is the last day itself.
    FromEnd(u32),
}

impl Landing {
    pub fn day(self, month_length: u32) -> u32 {
        match self {
            Self::Day(n) => n.clamp(1, month_length),
            Self::FromEnd(back) => month_length.saturating_sub(back).max(1),
        }
    }
}

/// The move `key` makes from `day` (1-based), in the column `weekday` (0 for Monday … 6 for
/// Sunday) of a month of `month_length` days.
pub fn grid_move(key: GridKey, day: u32, weekday: u32, month_length: u32) -> GridMove {
    let (day, weekday, length) = (i64::from(day), i64::from(weekday), i64::from(month_length));
    let target = match key {
        GridKey::PreviousDay => day - 1,
        GridKey::NextDay => day + 1,
        GridKey::PreviousWeek => day - 7,
        GridKey::NextWeek => day + 7,
        GridKey::WeekStart => day - weekday,
        GridKey::WeekEnd => day + 6 - weekday,
        GridKey::PreviousMonth => return GridMove::PreviousMonth(Landing::Day(day as u32)),
        GridKey::NextMonth => return GridMove::NextMonth(Landing::Day(day as u32)),
    };
    if target < 1 {
        GridMove::PreviousMonth(Landing::FromEnd((-target) as u32))
    } else if target > length {
        GridMove::NextMonth(Landing::Day((target - length) as u32))
    } else {
        GridMove::Day(target as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_and_named_as_chrono_would() {
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while day.year() < 2028 {
            assert_eq!(parse_date(&day.to_string()), Some(day));
            assert_eq!(day_name(day), day.format("%A, %B %-d").to_string());
            assert_eq!(short_day_name(day), day.format("%a, %b %-d").to_string());
            assert_eq!(month_name(day), day.format("%B %Y").to_string());
            day = day.succ_opt().unwrap();
        }
        for bad in ["2026-13-01", "2026-02-30", "+262143-01-01", "2026-1", "", "x-y-z"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_laid_out_monday_first_in_whole_weeks() {
        // December 2026 starts on a Tuesday and has 31 days: 1 pad, then 5 weeks.
        let weeks = month_weeks(d(2026, 12, 1));
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], None);
        assert_eq!(weeks[0][1], Some(d(2026, 12, 1)));
        assert_eq!(weeks[4][3], Some(d(2026, 12, 31)));
        assert_eq!(weeks[4][4..], [None, None, None]);
        // February 2027 starts on a Monday and fills exactly four weeks.
        let feb = month_weeks(d(2027, 2, 1));
        assert_eq!(feb.len(), 4);
        assert_eq!((feb[0][0], feb[3][6]), (Some(d(2027, 2, 1)), Some(d(2027, 2, 28))));
        // A leap February.
        assert_eq!(month_weeks(d(2028, 2, 1)).iter().flatten().flatten().count(), 29);
        // Every day once, in order.
        let days: Vec<_> = weeks.iter().flatten().flatten().copied().collect();
        assert_eq!(days, d(2026, 12, 1).iter_days().take(31).collect::<Vec<_>>());
    }

    #[test]
    fn the_tab_stop_is_the_chosen_then_the_first_free_then_today() {
        let first = d(2026, 12, 1);
        let free = [d(2026, 12, 8), d(2026, 12, 10)];
        assert_eq!(focus_day(first, Some(d(2026, 12, 10)), &free, d(2026, 12, 2)), d(2026, 12, 10));
        assert_eq!(focus_day(first, None, &free, d(2026, 12, 2)), d(2026, 12, 8));
        assert_eq!(focus_day(first, Some(d(2027, 1, 5)), &[], d(2026, 12, 2)), d(2026, 12, 2));
        assert_eq!(focus_day(first, None, &[], d(2026, 11, 25)), first);
    }

    /// Where a key lands, as a date, from `from` in its month's grid.
    fn press(key: GridKey, from: NaiveDate) -> NaiveDate {
        let first = from.with_day(1).unwrap();
        let length = |first: NaiveDate| first.iter_days().take_while(|x| x.month() == first.month()).count() as u32;
        let weekday = from.weekday().num_days_from_monday();
        match grid_move(key, from.day(), weekday, length(first)) {
            GridMove::Day(n) => first.with_day(n).unwrap(),
            GridMove::PreviousMonth(landing) => {
                let previous = first.pred_opt().unwrap().with_day(1).unwrap();
                previous.with_day(landing.day(length(previous))).unwrap()
            }
            GridMove::NextMonth(landing) => {
                let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
                next.with_day(landing.day(length(next))).unwrap()
            }
        }
    }

    #[test]
    fn home_and_end_reach_the_weeks_ends_across_a_month_boundary() {
        // Friday 4 December 2026 sits in December's first, partial week: Monday is 30 November.
        assert_eq!(press(GridKey::WeekStart, d(2026, 12, 4)), d(2026, 11, 30));
        assert_eq!(press(GridKey::WeekEnd, d(2026, 11, 30)), d(2026, 12, 6));
        // Thursday 31 December: Sunday is 3 January.
        assert_eq!(press(GridKey::WeekEnd, d(2026, 12, 31)), d(2027, 1, 3));
        assert_eq!(press(GridKey::WeekStart, d(2027, 1, 3)), d(2026, 12, 28));
        // Inside a whole week they stay in the month.
        assert_eq!(press(GridKey::WeekStart, d(2026, 12, 10)), d(2026, 12, 7));
        assert_eq!(press(GridKey::WeekEnd, d(2026, 12, 10)), d(2026, 12, 13));
        // On the week's own first or last day, they stay put.
        assert_eq!(press(GridKey::WeekStart, d(2026, 12, 7)), d(2026, 12, 7));
        assert_eq!(press(GridKey::WeekEnd, d(2026, 12, 13)), d(2026, 12, 13));
    }

    #[test]
    fn arrows_and_pages_cross_into_the_adjacent_month() {
        assert_eq!(press(GridKey::PreviousDay, d(2026, 12, 1)), d(2026, 11, 30));
        assert_eq!(press(GridKey::NextDay, d(2026, 12, 31)), d(2027, 1, 1));
        assert_eq!(press(GridKey::PreviousWeek, d(2026, 12, 3)), d(2026, 11, 26));
        assert_eq!(press(GridKey::NextWeek, d(2026, 12, 28)), d(2027, 1, 4));
        assert_eq!(press(GridKey::NextDay, d(2026, 12, 4)), d(2026, 12, 5));
        // A month keeps the day number, or ends on a shorter month's last day.
        assert_eq!(press(GridKey::NextMonth, d(2026, 12, 15)), d(2027, 1, 15));
        assert_eq!(press(GridKey::NextMonth, d(2027, 1, 31)), d(2027, 2, 28));
        assert_eq!(press(GridKey::PreviousMonth, d(2028, 3, 31)), d(2028, 2, 29));
    }

    #[test]
    fn every_move_from_every_day_lands_on_the_date_a_calendar_gives() {
        use chrono::Duration;
        for from in d(2026, 1, 1).iter_days().take(3 * 366) {
            let weekday = i64::from(from.weekday().num_days_from_monday());
            assert_eq!(press(GridKey::PreviousDay, from), from - Duration::days(1));
            assert_eq!(press(GridKey::NextDay, from), from + Duration::days(1));
            assert_eq!(press(GridKey::PreviousWeek, from), from - Duration::days(7));
            assert_eq!(press(GridKey::NextWeek, from), from + Duration::days(7));
            assert_eq!(press(GridKey::WeekStart, from), from - Duration::days(weekday));
            assert_eq!(press(GridKey::WeekEnd, from), from + Duration::days(6 - weekday));
        }
    }
}
