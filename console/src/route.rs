//! Where the console is: `#/queue/<view>` or `#/ticket/<id>` in the address, so the browser's
//! back button and reloads keep the agent where they were.

use tabdesk_core::ticket::View;

#[derive(Clone, PartialEq)]
pub enum Route {
    Queue(View),
    Ticket(String),
    Reports,
    Settings,
}

pub fn view_slug(view: View) -> &'static str {
    match view {
        View::New => "new",
        View::Mine => "mine",
        View::Unassigned => "unassigned",
        View::NeedsResponse => "needs-response",
        View::Breached => "breached",
        View::SalesLeads => "sales-leads",
        View::Solved => "solved",
    }
}

pub fn parse_route(hash: &str) -> Route {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    match path.split_once('/') {
        Some(("ticket", id)) if !id.is_empty() => Route::Ticket(id.to_owned()),
        _ if path == "reports" => Route::Reports,
        _ if path == "settings" => Route::Settings,
        Some(("queue", slug)) => {
            Route::Queue(View::ALL.into_iter().find(|v| view_slug(*v) == slug).unwrap_or(View::Unassigned))
        }
        _ => Route::Queue(View::Unassigned),
    }
}

pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Goes to `route` (a new history entry).
pub fn go(route: &Route) {
    let hash = match route {
        Route::Queue(view) => format!("#/queue/{}", view_slug(*view)),
        Route::Ticket(id) => format!("#/ticket/{id}"),
        Route::Reports => "#/reports".to_owned(),
        Route::Settings => "#/settings".to_owned(),
    };
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&hash);
    }
}
