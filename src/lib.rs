//! session-booking: one Leptos crate, built to wasm (`hydrate`) for the browser and to an axum
//! server (`ssr`). Pages render on the server; only `client` (and islands, when a
//! component is one) runs in the browser. Imports run one way: `http` → `app` → `pages` →
//! `components` → `api` → `server` → {`dto`, `urls`, `entities`, `slots`, `error`}.
// The booking steps' view types nest deeper than rustc's default limit of 128 when laid out.
#![recursion_limit = "256"]
pub mod api;
pub mod app;
#[cfg(feature = "hydrate")]
pub mod client;
pub mod components;
pub mod dto;
pub mod error;
pub mod month_grid;
pub mod pages;
pub mod urls;

#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
#[path = "../migrations/mod.rs"]
pub mod migrations;
#[cfg(feature = "ssr")]
pub mod server;
/// The slot engine (docs/slot-rules.md): server-only, since chrono-tz stays out of the wasm bundle.
#[cfg(feature = "ssr")]
pub mod slots;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    client::install();
    // Marks the page interactive, for styles and for tests that must not act before hydration:
    // once the islands too are hydrated, which the loader does right after this returns.
    leptos::prelude::set_timeout(
        || {
            if let Some(root) = leptos::prelude::document().document_element() {
                let _ = root.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
