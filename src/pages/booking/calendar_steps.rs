//! Steps 2 and 3 as one island (docs/booking-contract.md §1, §9). The server renders the step
//! the URL names, as the pages without JavaScript have it; the browser then holds the month's
//! days and every date's times, so a date, a month already fetched and the way back answer with
//! no request. The URL follows each screen (`history`), so back, forward and a reload land on
//! the same one. Adjacent months are fetched when the page is idle, and again as a finger lands
//! on the calendar; a stream of changes (`/api/live/times`) fetches the shown month again, and
//! polling stands in while the stream is down.
use leptos::{
    either::EitherOf3,
    ev,
    prelude::*,
    task::spawn_local,
    wasm_bindgen::{JsCast, JsValue},
    web_sys::{Element, HtmlButtonElement},
};

use super::{
    calls,
    date_step::DateChoices,
    progress::Progress,
    step::Step,
    time_step::{TimeChoice, TimeChoices, TimeState},
};
use crate::{
    dto::{
        live::{ChangeKind, RESYNC},
        wizard::{DayTime, DayTimes, MonthTimes},
    },
    urls::StepLinks,
};

/// How often a page whose stream is down fetches its times instead.
const POLL_MS: u64 = 20_000;

#[derive(Debug, Clone, PartialEq)]
enum Screen {
    /// Step 2 showing a month (`YYYY-MM`), with the date chosen before, if any.
    Date { month: String, selected: Option<String> },
    /// Step 3 of a date (`YYYY-MM-DD`).
    Time(String),
    /// A time was chosen: its summary, while step 4 (which holds the time) is on its way.
    Confirming { date_label: String, slot: DayTime },
}

impl Screen {
    fn step(&self) -> Step {
        match self {
            Screen::Date { .. } => Step::Date,
            Screen::Time(_) => Step::Time,
            Screen::Confirming { .. } => Step::Confirm,
        }
    }

    /// The month whose times this screen shows.
    fn month(&self) -> Option<String> {
        match self {
            Screen::Date { month, .. } => Some(month.clone()),
            Screen::Time(date) => date.get(..7).map(str::to_owned),
            Screen::Confirming { .. } => None,
        }
    }
}

/// The months fetched so far (a few: a list, not a map, keeps the bundle small).
#[derive(Debug, Clone, Default)]
struct Months(Vec<MonthTimes>);

impl Months {
    fn get(&self, month: &str) -> Option<&MonthTimes> {
        self.0.iter().find(|m| m.month.month == month)
    }

    fn contains_key(&self, month: &str) -> bool {
        self.get(month).is_some()
    }

    fn insert(&mut self, fresh: MonthTimes) {
        self.0.retain(|m| m.month.month != fresh.month.month);
        self.0.push(fresh);
    }

    fn day(&self, date: &str) -> Option<&DayTimes> {
        self.0.iter().find_map(|m| m.day(date))
    }
}

#[island]
pub fn CalendarSteps(
    links: StepLinks,
    /// The month the URL names, with its dates' times.
    month: MonthTimes,
    /// The date whose times to show (step 3), or none for the month (step 2).
    date: Option<String>,
    /// Why the student is back on step 3 (the booking found the chosen time taken), in words.
    error: Option<String>,
    /// The chosen Student-Teacher, rendered by the server.
    children: Children,
) -> impl IntoView {
    let first = match &date {
        Some(date) => Screen::Time(date.clone()),
        None => Screen::Date { month: month.month.month.clone(), selected: None },
    };
    let first_times = date.as_deref().and_then(|d| month.day(d)).map(|day| TimeChoice::listed(&day.slots)).unwrap_or_default();
    let months = RwSignal::new(Months(vec![month]));
    let screen = RwSignal::new(first);
    let times = RwSignal::new(first_times);
    let error = StoredValue::new(error);
    let announcement = RwSignal::new(String::new());
    let root = NodeRef::<leptos::html::Section>::new();
    let calendar = Calendar { links, months, screen, times, announcement, root, fetching: StoredValue::new(Vec::new()) };

    let body = move || match screen.get() {
        Screen::Date { month, selected } => {
            let month = move || months.with(|m| m.get(&month).map(|m| m.month.clone()));
            EitherOf3::A(move || month().map(|month| view! { <DateChoices links month selected=selected.clone()/> }))
        }
        Screen::Time(date) => {
            let day = months.with_untracked(|m| m.day(&date).cloned());
            // The error a booking came back with belongs to the first screen only.
            let error = error.try_update_value(Option::take).flatten();
            EitherOf3::B(day.map(|day| view! { <TimeChoices links day times error/> }))
        }
        Screen::Confirming { date_label, slot } => EitherOf3::C(view! { <ConfirmPreview date_label time=slot/> }),
    };
    Effect::new(move |_| calendar.start());
    view! {
        <Progress current=Signal::derive(move || screen.with(Screen::step))/>
        <section aria-labelledby="step-title" class="step" node_ref=root on:click=move |ev| calendar.on_click(ev)
            on:pointerdown=move |_| calendar.prefetch_neighbours()>
            {children()}
            {body}
            <p class="sr-only" role="status" aria-live="polite">{move || announcement.get()}</p>
        </section>
    }
}

/// Step 4's summary while the step itself is on its way.
#[component]
fn ConfirmPreview(date_label: String, time: DayTime) -> impl IntoView {
    view! {
        <h2 id="step-title" tabindex="-1">"Confirm your session"</h2>
        <div class="card session-summary confirm-preview">
            <p><strong>{date_label}</strong></p>
            <p>{format!("{} to {}", time.start_label, time.end_label)}</p>
        </div>
        <p class="muted" role="status">"Holding this time for you…"</p>
    }
}

/// The island's state and what it does in the browser.
#[derive(Clone, Copy)]
struct Calendar {
    links: StepLinks,
    months: RwSignal<Months>,
    screen: RwSignal<Screen>,
    times: RwSignal<Vec<TimeChoice>>,
    announcement: RwSignal<String>,
    root: NodeRef<leptos::html::Section>,
    /// Months asked for and not yet arrived (once per request).
    fetching: StoredValue<Vec<String>>,
}

impl Calendar {
    /// Once hydrated: back and forward, the adjacent months when idle, and live times.
    fn start(self) {
        let on_history = window_event_listener(ev::popstate, move |_| {
            if self.on_screen() {
                self.follow_url();
            }
        });
        self.follow_url();
        request_idle_callback(move || self.prefetch_neighbours());
        let live = live::Stream::open(self);
        // The islands router replaces this island when the student leaves steps 2 and 3.
        let watch = set_interval_with_handle(
            move || {
                if !self.on_screen() {
                    live.close();
                }
            },
            std::time::Duration::from_secs(2),
        );
        on_cleanup(move || {
            on_history.remove();
            if let Ok(watch) = watch {
                watch.clear();
            }
        });
    }

    fn on_screen(self) -> bool {
        self.root.get_untracked().is_some_and(|root| root.is_connected())
    }

    /// Answers a tap inside the steps from memory where it can; anything else is left to the
    /// page's own link or form.
    fn on_click(self, ev: ev::MouseEvent) {
        if ev.default_prevented() || ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let closest = |selector: &str| target.closest(selector).ok().flatten();
        if let Some(link) = closest("a[data-month]") {
            let which = link.get_attribute("data-month");
            let Some(month) = self.screen.with_untracked(Screen::month) else { return };
            let to = self.months.with_untracked(|m| {
                let days = &m.get(&month)?.month;
                if which.as_deref() == Some("prev") {
                    days.prev_month.clone()
                } else {
                    days.next_month.clone()
                }
            });
            if let Some(to) = to {
                ev.prevent_default();
                self.show_month(to, None, true);
            }
        } else if closest("a[data-back-to-date]").is_some() {
            let Screen::Time(date) = self.screen.get_untracked() else { return };
            ev.prevent_default();
            self.show_month(date[..7].to_owned(), Some(date), true);
        } else if let Some(day) = closest("button[name=date]") {
            if day.get_attribute("aria-disabled").as_deref() == Some("true") {
                return;
            }
            // A date of a month not fetched yet ("Next Available") is fetched first: the page's
            // own post would leave this island as it is.
            ev.prevent_default();
            let date = day.get_attribute("value").unwrap_or_default();
            calls::record_date(self.links, date.clone());
            self.open_date(date, true);
        } else if let Some(button) = closest("button[name=start]").and_then(|b| b.dyn_into::<HtmlButtonElement>().ok()) {
            self.choose_time(&ev, &button);
        }
    }

    /// Step 3 of `date` from memory; false when its times are not here.
    fn show_date(self, date: &str, push: bool) -> bool {
        let Some(day) = self.months.with_untracked(|m| m.day(date).cloned()) else { return false };
        self.times.set(TimeChoice::listed(&day.slots));
        self.screen.set(Screen::Time(date.to_owned()));
        if push {
            push_url(&self.links.time(date));
        }
        true
    }

    /// Step 3 of `date`, from memory or once its month is fetched. A date in no month is the
    /// page's to show: a tap (`push`) goes to its page, the URL's own page is loaded again.
    fn open_date(self, date: String, push: bool) {
        if self.show_date(&date, push) {
            return;
        }
        let links = self.links;
        self.fetch(date.get(..7).unwrap_or_default().to_owned(), move |found| {
            if !(found && self.show_date(&date, push)) {
                let location = window().location();
                let _ = if push { location.assign(&links.time(&date)) } else { location.reload() };
            }
        });
    }

    /// Step 2 of `month`, fetching it first when it is not here yet.
    fn show_month(self, month: String, selected: Option<String>, push: bool) {
        let url = self.links.month(&month);
        let cached = self.months.with_untracked(|m| m.contains_key(&month));
        let wanted = month.clone();
        let show = move || {
            self.screen.set(Screen::Date { month: month.clone(), selected: selected.clone() });
            if push {
                push_url(&url);
            }
            self.prefetch_neighbours();
        };
        if cached {
            show();
        } else {
            self.fetch(wanted.clone(), move |found| match found {
                true => show(),
                // The page itself, without the island's help.
                false => {
                    let _ = window().location().assign(&self.links.month(&wanted));
                }
            });
        }
    }

    /// The form posts the time as always (its answer is step 4, which holds the time); its
    /// summary shows at once meanwhile.
    fn choose_time(self, ev: &ev::MouseEvent, button: &HtmlButtonElement) {
        let (Some(form), Screen::Time(date)) = (button.form(), self.screen.get_untracked()) else { return };
        let start = button.value();
        let Some(slot) = self.times.with_untracked(|t| t.iter().find(|t| t.slot.start == start).map(|t| t.slot.clone())) else { return };
        let date_label = self.months.with_untracked(|m| m.day(&date).map(|d| d.date_label.clone())).unwrap_or_default();
        ev.prevent_default();
        if form.request_submit_with_submitter(Some(button.as_ref())).is_ok() {
            self.screen.set(Screen::Confirming { date_label, slot });
        }
    }

    /// Shows what the URL names: after back or forward, and once hydrated (a tap before then
    /// went to the page, whose patch leaves an island as it was).
    fn follow_url(self) {
        let query = window().location().search().unwrap_or_default();
        let params = leptos::web_sys::UrlSearchParams::new_with_str(&query).ok();
        let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
        if param("start").is_some() {
            return;
        }
        let shown = self.screen.get_untracked();
        if let Some(date) = param("date") {
            if shown != Screen::Time(date.clone()) {
                self.open_date(date, false);
            }
            return;
        }
        let month = param("month").or_else(|| self.months.with_untracked(|m| m.0.first().map(|m| m.month.today[..7].to_owned())));
        match (month, shown) {
            (Some(month), Screen::Date { month: on_screen, .. }) if month == on_screen => {}
            (Some(month), _) => self.show_month(month, None, false),
            (None, _) => {}
        }
    }

    /// Fetches the months before and after the one shown, unless they are here already.
    fn prefetch_neighbours(self) {
        let Some(month) = self.screen.with_untracked(Screen::month) else { return };
        let neighbours = self.months.with_untracked(|m| m.get(&month).map(|m| [m.month.prev_month.clone(), m.month.next_month.clone()]));
        for neighbour in neighbours.into_iter().flatten().flatten() {
            let asked = self.fetching.with_value(|f| f.contains(&neighbour));
            if !asked && !self.months.with_untracked(|m| m.contains_key(&neighbour)) {
                self.fetch(neighbour, |_| {});
            }
        }
    }

    /// Fetches a month's times into memory; `then` hears whether they arrived.
    fn fetch(self, month: String, then: impl FnOnce(bool) + 'static) {
        self.fetching.update_value(|f| f.push(month.clone()));
        let links = self.links;
        spawn_local(async move {
            let found = calls::month_times(links, &month).await;
            self.fetching.update_value(|f| {
                if let Some(at) = f.iter().position(|m| *m == month) {
                    f.remove(at);
                }
            });
            let arrived = found.is_ok();
            if let Ok(found) = found {
                self.months.update_untracked(|m| m.insert(found));
            }
            then(arrived);
        });
    }

    /// The times changed somewhere: fetch the shown month again, mark what was taken meanwhile,
    /// and forget the other months (they are fetched again as needed).
    fn refresh(self) {
        let Some(month) = self.screen.with_untracked(Screen::month) else { return };
        let links = self.links;
        spawn_local(async move {
            let Ok(fresh) = calls::month_times(links, &month).await else { return };
            if let Screen::Time(date) = self.screen.get_untracked() {
                let slots = fresh.day(&date).map(|d| d.slots.clone()).unwrap_or_default();
                let (now, taken) = self.times.with_untracked(|shown| TimeChoice::refreshed(shown, &slots));
                if self.times.with_untracked(|shown| *shown != now) {
                    // The list is drawn again: a time that had focus and is still open keeps it.
                    let focused = document().active_element().filter(|e| e.get_attribute("name").as_deref() == Some("start"));
                    let start = focused.and_then(|e| e.get_attribute("value"));
                    self.times.set(now);
                    if let Some(start) = start {
                        request_animation_frame(move || refocus(&start));
                    }
                }
                self.announce(&taken);
            }
            let same_days = self.months.with_untracked(|m| m.get(&month).map(|m| &m.month) == Some(&fresh.month));
            let keep = |m: &mut Months| *m = Months(vec![fresh]);
            if same_days {
                self.months.update_untracked(keep);
            } else {
                self.months.update(keep);
            }
            self.prefetch_neighbours();
        });
    }

    /// Says politely which times were just taken, without moving focus.
    fn announce(self, taken: &[TimeChoice]) {
        let words: Vec<String> = taken
            .iter()
            .filter(|t| t.state == TimeState::JustTaken)
            .map(|t| format!("{} to {} was just taken.", t.slot.start_label, t.slot.end_label))
            .collect();
        if !words.is_empty() {
            self.announcement.set(words.join(" "));
        }
    }
}

/// Focuses the open time starting at `start`, if it is on screen.
fn refocus(start: &str) {
    let button = document().query_selector(&format!("button[name=\"start\"][value=\"{start}\"]")).ok().flatten();
    if let Some(button) = button.and_then(|b| b.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _ = button.focus();
    }
}

fn push_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// The stream of changes, and polling while it is down.
mod live {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
        web_sys::EventSource,
    };
    use std::time::Duration;

    use super::{Calendar, ChangeKind, POLL_MS, RESYNC};

    const EVENTS: [ChangeKind; 5] = [ChangeKind::Booked, ChangeKind::Held, ChangeKind::Cancelled, ChangeKind::Freed, ChangeKind::Hours];

    #[derive(Clone, Copy)]
    pub struct Stream {
        source: Option<StoredValue<EventSource, LocalStorage>>,
        polling: StoredValue<Option<IntervalHandle>, LocalStorage>,
    }

    impl Stream {
        pub fn open(calendar: Calendar) -> Self {
            let polling = StoredValue::new_local(None);
            let url = format!("/api/live/times?st={}", calendar.links.st_id());
            let Ok(source) = EventSource::new(&url) else {
                start_polling(calendar, polling);
                return Self { source: None, polling };
            };
            let refresh = Closure::<dyn Fn()>::new(move || calendar.refresh());
            for name in EVENTS.map(ChangeKind::as_str).into_iter().chain([RESYNC]) {
                let _ = source.add_event_listener_with_callback(name, refresh.as_ref().unchecked_ref());
            }
            // Back from an outage: what happened meanwhile is fetched, and polling stops.
            let reopened = Closure::<dyn Fn()>::new(move || {
                if let Some(handle) = polling.try_update_value(Option::take).flatten() {
                    handle.clear();
                    calendar.refresh();
                }
            });
            source.set_onopen(Some(reopened.as_ref().unchecked_ref()));
            let failed = Closure::<dyn Fn()>::new(move || start_polling(calendar, polling));
            source.set_onerror(Some(failed.as_ref().unchecked_ref()));
            // For the island's lifetime; `close` stops the source from calling them.
            refresh.forget();
            reopened.forget();
            failed.forget();
            Self { source: Some(StoredValue::new_local(source)), polling }
        }

        pub fn close(self) {
            if let Some(source) = self.source.and_then(|s| s.try_get_value()) {
                source.close();
            }
            if let Some(handle) = self.polling.try_update_value(Option::take).flatten() {
                handle.clear();
            }
        }
    }

    fn start_polling(calendar: Calendar, polling: StoredValue<Option<IntervalHandle>, LocalStorage>) {
        if polling.with_value(Option::is_some) {
            return;
        }
        let handle = set_interval_with_handle(move || calendar.refresh(), Duration::from_millis(POLL_MS));
        polling.set_value(handle.ok());
    }
}
