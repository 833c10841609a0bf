//! Step 2's month calendar: the grid maths (pure) and the WAI-ARIA date grid (GUIDE.md §7).
//! The server renders every cell; `client::date_grid` adds the keyboard and swipe behaviour.
use chrono::{Datelike, NaiveDate};
use leptos::{prelude::*, server_fn::ServerFn};

use super::links::StepLinks;
use crate::api::wizard::{MonthDays, SelectDate};

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

const WEEKDAYS: [(&str, &str); 7] = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
];

/// The month as a grid of day buttons in one form that posts the chosen date (`select_date`).
/// Every state attribute is always present ("true"/"false"): the islands router patches
/// attributes of the next month in but never removes one.
#[component]
pub fn MonthCalendar(month: MonthDays, links: StepLinks, page: String, st_id: i32, selected: Option<String>) -> impl IntoView {
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let first = parse(&format!("{}-01", month.month)).expect("the server sends YYYY-MM");
    let today = parse(&month.today).unwrap_or(first);
    let bookable: Vec<NaiveDate> = month.days.iter().filter_map(|d| parse(d)).collect();
    let selected = selected.as_deref().and_then(parse);
    let focus = focus_day(first, selected, &bookable, today);
    let nav = |target: Option<String>, label: &'static str, symbol: &'static str, marker: &'static str| match target {
        Some(m) => view! { <a class="calendar-nav" href=links.month(&m) aria-label=label data-month=marker>{symbol}</a> }.into_any(),
        None => view! { <span class="calendar-nav" aria-hidden="true">{symbol}</span> }.into_any(),
    };
    let weeks = month_weeks(first)
        .into_iter()
        .map(|week| {
            let cells = week
                .into_iter()
                .map(|day| match day {
                    None => view! { <td role="gridcell" class="calendar-pad"></td> }.into_any(),
                    Some(day) => {
                        let free = bookable.contains(&day);
                        let state = if day < today {
                            "past"
                        } else if free {
                            "free"
                        } else {
                            "none"
                        };
                        let note = match state {
                            "past" => "past",
                            "free" => "available",
                            _ => "no times",
                        };
                        let label = format!("{}, {note}", day.format("%A, %B %-d"));
                        let is_selected = selected == Some(day);
                        view! {
                            <td role="gridcell" aria-selected=if is_selected { "true" } else { "false" }>
                                <button type="submit" name="date" value=day.to_string() class=format!("calendar-day {state}")
                                    tabindex=if day == focus { "0" } else { "-1" } aria-label=label
                                    aria-disabled=if free { "false" } else { "true" } data-day=day.day()
                                    aria-current=if day == today { "date" } else { "false" }>
                                    {day.day()}
                                </button>
                            </td>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="calendar" data-date-grid>
            <div class="calendar-head">
                {nav(month.prev_month.clone(), "Previous month", "‹", "prev")}
                <h3 id="month-title" aria-live="polite">{first.format("%B %Y").to_string()}</h3>
                {nav(month.next_month.clone(), "Next month", "›", "next")}
            </div>
            <form method="post" action=SelectDate::PATH>
                <input type="hidden" name="st_id" value=st_id/>
                <input type="hidden" name="page" value=page/>
                <table role="grid" aria-labelledby="month-title" class="calendar-grid">
                    <thead>
                        <tr>{WEEKDAYS.map(|(short, long)| view! { <th scope="col" abbr=long>{short}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{weeks}</tbody>
                </table>
            </form>
            <p class="calendar-legend muted"><span class="legend-free" aria-hidden="true"></span>" Days with open times"</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
