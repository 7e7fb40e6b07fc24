//! Time for the console: the browser's clock, and a tick that refreshes what a screen shows
//! while the tab is visible (and not at all while it is hidden).

use leptos::prelude::*;
use web_sys::VisibilityState;

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
}

/// A counter that goes up every `every_ms` while the tab is visible, until the component that
/// made it is gone. Reads that track it run again on each tick.
pub fn refresher(every_ms: u32) -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
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
