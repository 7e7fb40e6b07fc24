//! Who is signed in: the token (kept in this tab's sessionStorage only, so closing the tab
//! signs out) and what the API says it is. Screens take it from context.

use tabdesk_core::domain::Locale;
use tabdesk_core::wire::Me;
use tabdesk_ui::cell::{Cell, Kept};

const TOKEN_KEY: &str = "tabdesk:console:token";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The token this tab signed in with, if any.
pub fn saved_token() -> Option<String> {
    storage()?.get_item(TOKEN_KEY).ok()?.filter(|t| !t.is_empty())
}

pub fn save_token(token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(TOKEN_KEY, token);
    }
}

/// Forgets the token and every draft of this tab.
pub fn forget() {
    if let Some(s) = storage() {
        let _ = s.clear();
    }
}

/// The draft of ticket `id`'s composer.
pub fn draft(id: &str) -> String {
    storage().and_then(|s| s.get_item(&format!("tabdesk:console:draft:{id}")).ok().flatten()).unwrap_or_default()
}

pub fn save_draft(id: &str, text: &str) {
    if let Some(s) = storage() {
        let key = format!("tabdesk:console:draft:{id}");
        let _ = if text.is_empty() { s.remove_item(&key) } else { s.set_item(&key, text) };
    }
}

/// The signed-in agent, shared by every screen.
#[derive(Clone, Copy)]
pub struct Session {
    pub token: Kept<String>,
    pub me: Kept<Me>,
    pub locale: Locale,
    /// Set when the API no longer takes the token: the app goes back to the sign-in.
    pub signed_out: Cell<bool>,
}

impl Session {
    pub fn token(&self) -> String {
        self.token.get_value()
    }

    pub fn site(&self) -> String {
        self.me.with_value(|m| m.site.clone())
    }

    /// The agent's name (what `assignee` holds); none for the site's admin token.
    pub fn name(&self) -> Option<String> {
        self.me.with_value(|m| m.name.clone())
    }
}

/// The language of the console: the browser's first of ru and en.
pub fn browser_locale() -> Locale {
    let asked = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect::<Vec<_>>().join(","));
    Locale::asked(None, asked.as_deref()).unwrap_or_default()
}
