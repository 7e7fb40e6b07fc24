//! Time for the console: the browser's clock, and a tick that refreshes what a screen shows
//! while the tab is visible (and not at all while it is hidden).

use leptos::prelude::*;
use tabdesk_core::domain::Locale;
use tabdesk_ui::cell::Cell;
use web_sys::VisibilityState;

/// An API time (`2026-11-30T09:04:00.000Z`) in the agent's language and time zone, such as
/// "30 Nov 2026, 12:04" or «30 нояб. 2026 г., 12:04».
pub fn local_time(iso: &str, locale: Locale) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let date = js_sys::Date::new(&iso.into());
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    date.to_locale_string(locale.tag(), &options).into()
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
}

/// A counter that goes up every `every_ms` while the tab is visible, until the component that
/// made it is gone. Reads that track it run again on each tick.
pub fn refresher(every_ms: u32) -> Cell<u32> {
    let tick = Cell::new(0u32);
    let every = std::time::Duration::from_millis(u64::from(every_ms));
    let interval = set_interval_with_handle(
        move || {
            if visible() {
                tick.update(|t| *t += 1);
            }
        },
        every,
    );
    if let Ok(handle) = interval {
        on_cleanup(move || handle.clear());
    }
    tick
}
