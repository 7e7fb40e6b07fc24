//! The agent console: a Leptos (CSR) app served at `/console` by the worker. Agents sign in with
//! their token, work the queue, read and answer tickets. It calls the same API as every other
//! client, with core's wire types.

mod api;
mod app;
mod categories;
mod channels;
mod charts;
mod clock;
mod composer;
mod editing;
mod keys;
mod on_demand;
mod queue;
mod reports;
mod route;
mod session;
mod settings;
mod signin;
mod ticket;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
