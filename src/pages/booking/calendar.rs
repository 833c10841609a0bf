//! Step 2's month calendar as a WAI-ARIA date grid, laid out by `month_grid`. The server
//! renders every cell; `client::date_grid` adds the keyboard and swipe behaviour.
use chrono::{Datelike, NaiveDate};
use leptos::{either::Either, prelude::*, server_fn::ServerFn};

use super::StepInputs;
use crate::{
    api::wizard::SelectDate,
    dto::wizard::MonthDays,
    month_grid::{day_name, focus_day, month_name, month_weeks, parse_date, WEEKDAY_NAMES},
    urls::StepLinks,
};

/// The month as a grid of day buttons in one form that posts the chosen date (`select_date`).
/// Every state attribute is always present ("true"/"false"): the islands router patches
/// attributes of the next month in but never removes one.
#[component]
pub fn MonthCalendar(month: MonthDays, links: StepLinks, selected: Option<String>) -> impl IntoView {
    let parse = |s: &str| parse_date(s);
    let first = parse(&format!("{}-01", month.month)).expect("the server sends YYYY-MM");
    let today = parse(&month.today).unwrap_or(first);
    let bookable: Vec<NaiveDate> = month.days.iter().filter_map(|d| parse(d)).collect();
    let selected = selected.as_deref().and_then(parse);
    let focus = focus_day(first, selected, &bookable, today);
    let nav = |target: Option<String>, label: &'static str, symbol: &'static str, marker: &'static str| match target {
        Some(m) => Either::Left(view! { <a class="calendar-nav" href=links.month(&m) aria-label=label data-month=marker>{symbol}</a> }),
        None => Either::Right(view! { <span class="calendar-nav" aria-hidden="true">{symbol}</span> }),
    };
    let weeks = month_weeks(first)
        .into_iter()
        .map(|week| {
            let cells = week
                .into_iter()
                .map(|day| match day {
                    None => Either::Left(view! { <td role="gridcell" class="calendar-pad"></td> }),
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
                        let label = format!("{}, {note}", day_name(day));
                        let is_selected = selected == Some(day);
                        Either::Right(view! {
                            <td role="gridcell" aria-selected=if is_selected { "true" } else { "false" }>
                                <button type="submit" name="date" value=day.to_string() class=format!("calendar-day {state}")
                                    tabindex=if day == focus { "0" } else { "-1" } aria-label=label
                                    aria-disabled=if free { "false" } else { "true" } data-day=day.day()
                                    aria-current=if day == today { "date" } else { "false" }>
                                    {day.day()}
                                </button>
                            </td>
                        })
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
                <h3 id="month-title" aria-live="polite">{month_name(first)}</h3>
                {nav(month.next_month.clone(), "Next month", "›", "next")}
            </div>
            <form method="post" action=SelectDate::PATH>
                <StepInputs links/>
                <table role="grid" aria-labelledby="month-title" class="calendar-grid">
                    <thead>
                        <tr>{WEEKDAY_NAMES.map(|long| view! { <th scope="col" abbr=long>{&long[..3]}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{weeks}</tbody>
                </table>
            </form>
            <p class="calendar-legend muted"><span class="legend-free" aria-hidden="true"></span>" Days with open times"</p>
        </div>
    }
}
