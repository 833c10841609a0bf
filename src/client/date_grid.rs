//! The keyboard and swipe behaviour of step 2's date grid (WAI-ARIA APG date grid, GUIDE.md
//! §7). The server renders the grid: each day a submit button, one of them the tab stop
//! (`tabindex="0"`), and the neighbouring months as links marked `data-month="prev|next"`.
//! Listening on the window, the behaviour survives the islands router patching the page.
use std::{cell::Cell, rc::Rc};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, PointerEvent};

use super::listen;
use leptos::prelude::document;

/// Horizontal travel that counts as a swipe, in CSS pixels.
const SWIPE: i32 = 50;

pub fn install(focus_grid_after_navigation: Rc<Cell<bool>>) {
    let after_month_change = focus_grid_after_navigation.clone();
    listen("keydown", false, move |ev| {
        let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else { return };
        let Some((grid, day)) = day_button(ev.target()) else { return };
        let Some(current) = day.get_attribute("data-day").and_then(|d| d.parse::<i32>().ok()) else { return };
        let weekday = weekday_of(&day);
        let target = match ev.key().as_str() {
            "ArrowLeft" => Move::Day(current - 1),
            "ArrowRight" => Move::Day(current + 1),
            "ArrowUp" => Move::Day(current - 7),
            "ArrowDown" => Move::Day(current + 7),
            "Home" => Move::Day(current - weekday),
            "End" => Move::Day(current + 6 - weekday),
            "PageUp" => Move::Month("prev"),
            "PageDown" => Move::Month("next"),
            // Enter and Space press the button; a day without times is not a choice.
            "Enter" | " " if is_disabled(&day) => Move::Refuse,
            _ => return,
        };
        ev.prevent_default();
        match target {
            Move::Refuse => {}
            Move::Day(n) => match grid.query_selector(&format!("button[data-day=\"{n}\"]")).ok().flatten() {
                Some(next) => rove(&grid, &next),
                // Past either end of the month: that month, keeping focus in the grid.
                None => open_month(&grid, if n < current { "prev" } else { "next" }, &after_month_change),
            },
            Move::Month(which) => open_month(&grid, which, &after_month_change),
        }
    });
    // A click on a day without times does nothing (without JavaScript it shows the empty day).
    listen("click", true, |ev| {
        if day_button(ev.target()).is_some_and(|(_, day)| is_disabled(&day)) {
            ev.prevent_default();
        }
    });
    swipe_between_months(focus_grid_after_navigation);
}

fn is_disabled(day: &Element) -> bool {
    day.get_attribute("aria-disabled").as_deref() == Some("true")
}

enum Move {
    Day(i32),
    Month(&'static str),
    Refuse,
}

/// The grid and the day button an event happened on, if it did.
fn day_button(target: Option<web_sys::EventTarget>) -> Option<(Element, Element)> {
    let element = target?.dyn_into::<Element>().ok()?;
    let day = element.closest("button[data-day]").ok()??;
    let grid = day.closest("[data-date-grid]").ok()??;
    Some((grid, day))
}

/// 0 for Monday … 6 for Sunday: the cell's position in its row.
fn weekday_of(day: &Element) -> i32 {
    let cell = day.parent_element();
    let mut index = 0;
    let mut previous = cell.and_then(|c| c.previous_element_sibling());
    while let Some(p) = previous {
        index += 1;
        previous = p.previous_element_sibling();
    }
    index
}

/// Moves the one tab stop to `next` and focuses it.
fn rove(grid: &Element, next: &Element) {
    if let Ok(Some(current)) = grid.query_selector("button[tabindex=\"0\"]") {
        let _ = current.set_attribute("tabindex", "-1");
    }
    let _ = next.set_attribute("tabindex", "0");
    if let Some(next) = next.dyn_ref::<HtmlElement>() {
        let _ = next.focus();
    }
}

fn open_month(grid: &Element, which: &str, focus_grid: &Rc<Cell<bool>>) {
    if let Some(link) =
        grid.query_selector(&format!("a[data-month=\"{which}\"]")).ok().flatten().and_then(|l| l.dyn_into::<HtmlElement>().ok())
    {
        focus_grid.set(true);
        link.click();
    }
}

/// A horizontal swipe across the grid opens the next (leftwards) or previous month; the
/// month links stay as the tap alternative (WCAG 2.5.1). `touch-action: pan-y` in the styles
/// leaves vertical scrolling to the browser.
fn swipe_between_months(focus_grid: Rc<Cell<bool>>) {
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
                open_month(&grid, if dx < 0 { "next" } else { "prev" }, &focus_grid);
            }
        }
    });
}
