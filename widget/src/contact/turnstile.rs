//! Cloudflare Turnstile in the contact form, for sites that turn the anti-bot check on (the
//! worker then refuses requests without a token it can verify). Its script is loaded only when
//! such a site's form opens, and rendered explicitly into the form.

use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::{el, Fresh};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::visit::visit;

const SCRIPT: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
const SCRIPT_ID: &str = "td-turnstile-script";

/// The check of one form: the token of a solved challenge, until it is spent or expires.
#[derive(Clone, Copy)]
pub struct Check {
    pub token: Cell<Option<String>>,
    /// Turnstile's id of the widget it rendered, to reset it.
    widget: Kept<Option<String>>,
}

impl Check {
    pub fn new() -> Check {
        Check { token: Cell::new(None), widget: Kept::new(None) }
    }

    /// Asks for a new token: each is good for one request only, and the worker spent (or
    /// refused) the last one.
    pub fn reset(self) {
        self.token.set(None);
        self.call("reset");
    }

    /// Calls `method` of Turnstile with the widget's id, once both exist.
    fn call(self, method: &str) {
        let id = self.widget.try_get_value().flatten();
        if let (Some(api), Some(id)) = (loaded(), id) {
            let _ = invoke(&api, method, &Array::of1(&id.into()));
        }
    }
}

/// `window.turnstile`, once its script has run.
fn loaded() -> Option<JsValue> {
    let api = Reflect::get(&web_sys::window()?.into(), &"turnstile".into()).ok()?;
    api.is_object().then_some(api)
}

/// Calls `api[method](...args)`.
fn invoke(api: &JsValue, method: &str, args: &Array) -> Option<JsValue> {
    let function: Function = Reflect::get(api, &method.into()).ok()?.dyn_into().ok()?;
    Reflect::apply(&function, api, args).ok()
}

/// Turnstile's API, adding its script to the page the first time (once per page, however
/// often the form opens). `None` if the script cannot load (offline, blocked); it is then
/// taken out again, so that the form's next opening tries anew.
async fn load() -> Option<JsValue> {
    if let Some(api) = loaded() {
        return Some(api);
    }
    let document = web_sys::window()?.document()?;
    let script = match document.get_element_by_id(SCRIPT_ID) {
        Some(script) => script,
        None => {
            let script = document.create_element("script").ok()?;
            script.set_id(SCRIPT_ID);
            script.set_attribute("src", SCRIPT).ok()?;
            document.body()?.append_child(&script).ok()?;
            script
        }
    };
    // The promise's own functions listen for the script: no Rust closure to keep or leak.
    let ran = Promise::new(&mut |resolve, reject| {
        let _ = script.add_event_listener_with_callback("load", &resolve);
        let _ = script.add_event_listener_with_callback("error", &reject);
    });
    if JsFuture::from(ran).await.is_err() {
        script.remove();
        return None;
    }
    loaded()
}

/// Where the challenge shows. Turnstile calls back with a token (kept in `check`), when it
/// fails, and when a token expires (both drop the token until a new one comes).
pub fn challenge(site_key: String, check: Check) -> Fresh {
    let locale = visit().locale;
    let container = el("div").class("turnstile");
    let target = container.element();
    let solved = Closure::<dyn Fn(JsValue)>::new(move |token: JsValue| check.token.set(token.as_string()));
    let lost = Closure::<dyn Fn()>::new(move || check.token.set(None));
    let options = Object::new();
    for (name, value) in [
        ("sitekey", JsValue::from(site_key)),
        ("callback", solved.as_ref().clone()),
        ("error-callback", lost.as_ref().clone()),
        ("expired-callback", lost.as_ref().clone()),
        ("language", locale.tag().into()),
    ] {
        let _ = Reflect::set(&options, &name.into(), &value);
    }
    // Turnstile may call these as long as its widget lives: they live as long as the form,
    // whose cleanup removes the widget.
    let callbacks = StoredValue::new_local((solved, lost));
    spawn_local(async move {
        let api = load().await;
        // The form may have closed while the script loaded.
        if let (Some(api), true, false) = (api, target.is_connected(), callbacks.is_disposed()) {
            let id = invoke(&api, "render", &Array::of2(&target, &options));
            check.widget.set_value(id.and_then(|id| id.as_string()));
        }
    });
    on_cleanup(move || check.call("remove"));
    Fresh::from(container)
}
