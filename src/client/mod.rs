//! Browser behaviour, installed once by the `hydrate` entry point and attached to the window,
//! so it keeps working as the islands router patches pages in. Components with state of their
//! own are `#[island]`s beside the pages that use them (the booking calendar, the hold).
mod date_grid;

use std::{
    cell::{Cell, RefCell},
    rc::Rc,
};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, Event, HtmlAnchorElement, HtmlElement, HtmlFormElement, MutationObserver, MutationObserverInit};

use leptos::prelude::{document, request_animation_frame, window};

/// Set on a form while its post is on its way; styles show the busy label.
const BUSY: &str = "data-busy";

/// A navigation on its way, and the element that had focus when it began.
#[derive(Default)]
struct Navigation {
    pending: Cell<bool>,
    from: RefCell<Option<Element>>,
}

impl Navigation {
    fn start(&self) {
        self.pending.set(true);
        *self.from.borrow_mut() = document().active_element();
    }

    /// Focus the reader has moved elsewhere since the navigation began is theirs to keep.
    fn focus_is_unclaimed(&self) -> bool {
        let from = self.from.borrow_mut().take();
        let Some(active) = document().active_element() else { return true };
        let on_body = document().body().is_some_and(|body| active.is_same_node(Some(&body)));
        on_body || !active.is_connected() || from.is_some_and(|f| f.is_same_node(Some(&active)))
    }
}

pub fn install() {
    let navigating = Rc::new(Navigation::default());
    guard_double_submit(navigating.clone());
    mark_navigation_on("click", navigating.clone(), |ev| {
        ev.target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
            .is_some_and(|a| a.target().is_empty() && !a.has_attribute("download"))
    });
    mark_navigation_on("popstate", navigating.clone(), |_| true);
    let grid_focus = date_grid::PendingFocus::default();
    date_grid::install(grid_focus.clone());
    count_characters();
    after_navigation(navigating, grid_focus);
}

/// A form already on its way is not sent again: a double click books once. Listens in the
/// capture phase, before the islands router's own submit listener sends the form.
fn guard_double_submit(navigating: Rc<Navigation>) {
    let pressed: Rc<RefCell<Option<(String, String)>>> = Rc::default();
    carry_submitter(pressed.clone());
    listen("submit", true, move |ev| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        if form.has_attribute(BUSY) {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        } else {
            let _ = form.set_attribute(BUSY, "");
            navigating.start();
            let button = ev.dyn_ref::<web_sys::SubmitEvent>().and_then(|e| e.submitter());
            *pressed.borrow_mut() = button.and_then(|b| Some((b.get_attribute("name")?, b.get_attribute("value")?)));
        }
    });
}

/// The islands router sends `new FormData(form)`, which leaves out the pressed button's own
/// `name=value` (a calendar day, a start time): add it as the form data is gathered.
fn carry_submitter(pressed: Rc<RefCell<Option<(String, String)>>>) {
    listen("formdata", true, move |ev| {
        // web-sys has no FormDataEvent: read its `formData` by name.
        let data = web_sys::js_sys::Reflect::get(&ev, &"formData".into()).ok().and_then(|d| d.dyn_into::<web_sys::FormData>().ok());
        let (Some(data), Some((name, value))) = (data, pressed.borrow_mut().take()) else { return };
        if !data.has(&name) {
            let _ = data.append_with_str(&name, &value);
        }
    });
}

fn mark_navigation_on(event: &str, navigating: Rc<Navigation>, is_navigation: impl Fn(&Event) -> bool + 'static) {
    listen(event, true, move |ev| {
        if is_navigation(&ev) {
            navigating.start();
        }
    });
}

/// The islands router has no hook of its own: it fetches the next page and patches the
/// document. The first change to the page's content after a click, a post or "back" is that
/// patch, so that is when the new content is there to receive focus.
fn after_navigation(navigating: Rc<Navigation>, grid_focus: date_grid::PendingFocus) {
    let last_focus: Rc<RefCell<Option<Element>>> = Rc::default();
    let focused = last_focus.clone();
    listen("focusin", true, move |ev| *focused.borrow_mut() = ev.target().and_then(|t| t.dyn_into::<Element>().ok()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        if !navigating.pending.replace(false) {
            // An island changed its own screen, or a patch replaced the focused element: focus
            // goes on to the new step's heading instead of falling to the page's body.
            if focus_was_lost(&last_focus) {
                focus_step_heading(None);
            }
            return;
        }
        // The post (if any) has landed: forms still on the page can be used again.
        if let Ok(busy) = document().query_selector_all(&format!("form[{BUSY}]")) {
            for i in 0..busy.length() {
                if let Some(form) = busy.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = form.remove_attribute(BUSY);
                }
            }
        }
        load_payment_glue();
        // Keyboard and screen-reader users continue from the new content: the wizard's step
        // heading where there is one, else the page's main region.
        // A month opened from the grid keeps focus in the grid, on the day the key moved to.
        let in_grid = grid_focus.take();
        let navigating = navigating.clone();
        request_animation_frame(move || {
            if !navigating.focus_is_unclaimed() {
                return;
            }
            focus_step_heading(in_grid.and_then(date_grid::focus_target));
        });
    });
    let Ok(observer) = MutationObserver::new(on_change.as_ref().unchecked_ref()) else { return };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_character_data(true);
    options.set_subtree(true);
    if let Some(body) = document().body() {
        let _ = observer.observe_with_options(&body, &options);
    }
    on_change.forget(); // observes for the page's lifetime
}

/// Focuses `preferred`, else the wizard's step heading, else the page's main region.
fn focus_step_heading(preferred: Option<Element>) {
    let target = preferred.or_else(|| document().get_element_by_id("step-title")).or_else(|| document().get_element_by_id("main"));
    if let Some(element) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Whether focus fell to the body because the element that had it left the page.
fn focus_was_lost(last_focus: &RefCell<Option<Element>>) -> bool {
    let on_body = match (document().active_element(), document().body()) {
        (Some(active), Some(body)) => active.is_same_node(Some(&body)),
        (None, _) => true,
        _ => false,
    };
    on_body && last_focus.borrow().as_ref().is_some_and(|e| !e.is_connected())
}

/// Scripts in a patched page do not run: when a navigation brings the payment step, its glue
/// to Stripe.js (`/payment.js`, which sets itself up once) is loaded here.
fn load_payment_glue() {
    let doc = document();
    if doc.query_selector(".payment-step").ok().flatten().is_none() {
        return;
    }
    let (Ok(script), Some(body)) = (doc.create_element("script"), doc.body()) else { return };
    let _ = script.set_attribute("src", "/payment.js");
    let _ = body.append_child(&script);
}

/// A textarea with `data-count="ID"` keeps the element `ID` saying how many characters are left.
fn count_characters() {
    listen("input", false, |ev| {
        let Some(area) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
        let Some(counter) = area.get_attribute("data-count").and_then(|id| document().get_element_by_id(&id)) else { return };
        let left = area.max_length() - area.value().chars().count() as i32;
        counter.set_text_content(Some(&format!("{left} characters left")));
    });
}

fn listen(event: &str, capture: bool, f: impl Fn(Event) + 'static) {
    let listener = Closure::<dyn Fn(Event)>::new(f);
    let _ = window().add_event_listener_with_callback_and_bool(event, listener.as_ref().unchecked_ref(), capture);
    listener.forget(); // for the page's lifetime
}
