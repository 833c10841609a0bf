//! The keyboard and swipe behaviour of step 2's date grid (WAI-ARIA APG date grid; the moves
//! themselves are `month_grid::grid_move`). The server renders the grid: each day a submit
//! button, one of them the tab stop (`tabindex="0"`), and the neighbouring months as links
//! marked `data-month="prev|next"`. Listening on the window, the behaviour survives the
//! islands router patching the page.
use std::{cell::Cell, rc::Rc};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, PointerEvent};

use super::listen;
use crate::month_grid::{grid_move, GridKey, GridMove, Landing};
use leptos::prelude::document;

/// Horizontal travel that counts as a swipe, in CSS pixels.
const SWIPE: i32 = 50;

/// Where focus goes in the grid once the month that a key or a swipe opened is on screen.
#[derive(Debug, Clone, Copy)]
pub enum GridFocus {
    /// The month's own tab stop (after a swipe).
    TabStop,
    /// The day the key moved to.
    Day(Landing),
}

/// Set while a month opened from the grid is on its way; taken once it is on screen.
pub type PendingFocus = Rc<Cell<Option<GridFocus>>>;

pub fn install(pending: PendingFocus) {
    let after_key = pending.clone();
    listen("keydown", false, move |ev| {
        let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else { return };
        let Some((grid, day)) = day_button(ev.target()) else { return };
        let Some(current) = day.get_attribute("data-day").and_then(|d| d.parse::<u32>().ok()) else { return };
        let Some(key) = GridKey::from_key(&ev.key()) else {
            // Enter and Space press the button; a day without times is not a choice.
            if matches!(ev.key().as_str(), "Enter" | " ") && is_disabled(&day) {
                ev.prevent_default();
            }
            return;
        };
        ev.prevent_default();
        match grid_move(key, current, weekday_of(&day), month_length(&grid)) {
            GridMove::Day(n) => {
                if let Some(next) = day_in(&grid, n) {
                    rove(&grid, &next);
                }
            }
            GridMove::PreviousMonth(landing) => open_month(&grid, "prev", GridFocus::Day(landing), &after_key),
            GridMove::NextMonth(landing) => open_month(&grid, "next", GridFocus::Day(landing), &after_key),
        }
    });
    // A click on a day without times does nothing (without JavaScript it shows the empty day).
    listen("click", true, |ev| {
        if day_button(ev.target()).is_some_and(|(_, day)| is_disabled(&day)) {
            ev.prevent_default();
        }
    });
    swipe_between_months(pending);
}

/// The grid's day to focus now that a month opened from it is on screen; it becomes the tab stop.
pub fn focus_target(focus: GridFocus) -> Option<Element> {
    let grid = document().query_selector("[data-date-grid]").ok().flatten()?;
    let stop = grid.query_selector("button[tabindex=\"0\"]").ok().flatten();
    let GridFocus::Day(landing) = focus else { return stop };
    let day = day_in(&grid, landing.day(month_length(&grid)))?;
    rove_tab_stop(&grid, &day);
    Some(day)
}

fn is_disabled(day: &Element) -> bool {
    day.get_attribute("aria-disabled").as_deref() == Some("true")
}

fn day_in(grid: &Element, day: u32) -> Option<Element> {
    grid.query_selector(&format!("button[data-day=\"{day}\"]")).ok().flatten()
}

/// The number of days in the month on screen: one button each.
fn month_length(grid: &Element) -> u32 {
    grid.query_selector_all("button[data-day]").map_or(0, |days| days.length())
}

/// The grid and the day button an event happened on, if it did.
fn day_button(target: Option<web_sys::EventTarget>) -> Option<(Element, Element)> {
    let element = target?.dyn_into::<Element>().ok()?;
    let day = element.closest("button[data-day]").ok()??;
    let grid = day.closest("[data-date-grid]").ok()??;
    Some((grid, day))
}

/// 0 for Monday … 6 for Sunday: the cell's position in its row.
fn weekday_of(day: &Element) -> u32 {
    let mut index = 0;
    let mut previous = day.parent_element().and_then(|cell| cell.previous_element_sibling());
    while let Some(p) = previous {
        index += 1;
        previous = p.previous_element_sibling();
    }
    index
}

/// Moves the one tab stop to `next`.
fn rove_tab_stop(grid: &Element, next: &Element) {
    if let Ok(Some(current)) = grid.query_selector("button[tabindex=\"0\"]") {
        let _ = current.set_attribute("tabindex", "-1");
    }
    let _ = next.set_attribute("tabindex", "0");
}

/// Moves the one tab stop to `next` and focuses it.
fn rove(grid: &Element, next: &Element) {
    rove_tab_stop(grid, next);
    if let Some(next) = next.dyn_ref::<HtmlElement>() {
        let _ = next.focus();
    }
}

/// Follows the grid's link to the previous or next month (none past the horizon), asking for
/// `focus` once it is on screen.
fn open_month(grid: &Element, which: &str, focus: GridFocus, pending: &PendingFocus) {
    let link = grid.query_selector(&format!("a[data-month=\"{which}\"]")).ok().flatten();
    if let Some(link) = link.and_then(|l| l.dyn_into::<HtmlElement>().ok()) {
        pending.set(Some(focus));
        link.click();
    }
}

/// A horizontal swipe across the grid opens the next (leftwards) or previous month; the
/// month links stay as the tap alternative (WCAG 2.5.1). `touch-action: pan-y` in the styles
/// leaves vertical scrolling to the browser.
fn swipe_between_months(pending: PendingFocus) {
    let origin: Rc<Cell<Option<(i32, i32)>>> = Rc::new(Cell::new(None));
    let start = origin.clone();
    listen("pointerdown", false, move |ev| {
        let Some(ev) = ev.dyn_ref::<PointerEvent>() else { return };
        let on_grid = ev.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|e| e.closest("[data-date-grid]").ok().flatten());
        start.set(on_grid.map(|_| (ev.client_x(), ev.client_y())));
    });
    let cancel = origin.clone();
    listen("pointercancel", false, move |_| cancel.set(None));
    listen("pointerup", false, move |ev: Event| {
        let (Some((x, y)), Some(ev)) = (origin.take(), ev.dyn_ref::<PointerEvent>()) else { return };
        let (dx, dy) = (ev.client_x() - x, ev.client_y() - y);
        if dx.abs() > SWIPE && dx.abs() > dy.abs() {
            if let Ok(Some(grid)) = document().query_selector("[data-date-grid]") {
                open_month(&grid, if dx < 0 { "next" } else { "prev" }, GridFocus::TabStop, &pending);
            }
        }
    });
}
