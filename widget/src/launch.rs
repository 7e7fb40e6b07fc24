//! The launch parameters of a social network's app frame (page mode), sent with each request for
//! the worker to check (`core::ticket::vouch`), and who they name, for the form to show.
//!
//! VK appends its signed parameters to the page's query, which the worker saw and checked when it
//! served the page (`EmbedBoot::launched`). Telegram puts its `initData` in the fragment
//! (`#tgWebAppData=…`), which reaches no server: it is read here, and its `user` peeked without
//! checking the signature, for display only, when the site's bot can vouch for it
//! (`EmbedBoot::telegram_app`). The form's module reads them when it opens (the widget never
//! changes its page's address), so the first screen carries none of this.

use tabdesk_core::json_object;
use tabdesk_core::wire::LaunchedVisitor;
use web_sys::UrlSearchParams;

use crate::json;

struct TelegramUser {
    first_name: Option<String>,
    last_name: Option<String>,
}

json_object!(TelegramUser { first_name, last_name });

/// Telegram's `initData` in `fragment`, and the name of the user it names.
fn telegram(fragment: &str) -> Option<(LaunchedVisitor, String)> {
    let data = UrlSearchParams::new_with_str(fragment.trim_start_matches('#')).ok()?.get("tgWebAppData")?;
    let user: TelegramUser = json::decode(&UrlSearchParams::new_with_str(&data).ok()?.get("user")?)?;
    let name = [user.first_name, user.last_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Some((LaunchedVisitor { platform: "telegram".into(), name: Some(name).filter(|n| !n.trim().is_empty()) }, data))
}

/// The visitor a platform vouches for on this page, with the parameters that say so: VK's that
/// the worker checked (`EmbedBoot::launched`), else Telegram's when the site's bot can vouch
/// (`EmbedBoot::telegram_app`).
pub fn launched(checked: Option<LaunchedVisitor>, telegram_app: bool) -> Option<(LaunchedVisitor, String)> {
    let location = web_sys::window()?.location();
    match checked {
        Some(who) => Some((who, location.search().ok()?)),
        None if telegram_app => telegram(&location.hash().ok()?),
        None => None,
    }
}
