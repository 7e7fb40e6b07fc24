//! Waiting for the customer to stop typing before asking the server: a query is asked once it
//! has stayed the same for a while. A newer one cancels the wait for the older one (dropping a
//! pending `Timeout` clears it), so nothing needs to count keystrokes.

use gloo_timers::callback::Timeout;
use tabdesk_core::kb::is_blank;
use tabdesk_ui::cell::{effect_after, Cell};

/// `typed` once it has not changed for `ms`. A blank value passes at once: clearing needs no
/// answer from the server.
pub fn debounced(typed: impl Fn() -> String + 'static, ms: u32) -> Cell<String> {
    let asked = Cell::new(String::new());
    effect_after(move |pending: Option<Option<Timeout>>| {
        // Dropping the previous run's `Timeout` cancels it.
        drop(pending);
        let text = typed();
        if is_blank(&text) {
            asked.set(text);
            None
        } else {
            Some(Timeout::new(ms, move || asked.set(text)))
        }
    });
    asked
}
