//! The queue: the views with live counts, text search, the tickets newest first with cursor
//! paging, refreshed every 15 seconds while the tab is visible (an unchanged page costs a 304
//! and no re-render), and driven by keyboard (j/k, Enter, / and ?).

use leptos::ev::{self, SubmitEvent};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::{spawn_local, spawn_local_scoped_with_cancellation};
use tabdesk_core::domain::{Locale, Priority};
use tabdesk_core::i18n::console::{
    agent_status, channel_name, console_strings, priority_name, relative, ConsoleStrings,
};
use tabdesk_core::sla::parse_time;
use tabdesk_core::ticket::View;
use tabdesk_core::wire::{QueueCounts, TicketPage, TicketSummary};
use tabdesk_ui::cell::{effect, Cell, Derived, Kept};
use tabdesk_ui::{fresh, shown};
use wasm_bindgen::JsCast;

use crate::api::{self, Failure, Fresh};
use crate::clock::{now_ms, refresher};
use crate::keys::typing;
use crate::on_demand::prefetch_ticket;
use crate::route::{go, view_slug, Route};
use crate::session::Session;

/// How often the queue and its counts are read again while the tab is visible.
const REFRESH_MS: u32 = 15_000;
const PAGE: usize = 50;
/// The channels a ticket can come from (`context.channel`), for the queue's filter.
const CHANNELS: [&str; 3] = ["site", "vk", "telegram"];

pub fn view_label(s: &ConsoleStrings, view: View) -> &'static str {
    match view {
        View::New => s.view_new,
        View::Mine => s.view_mine,
        View::Unassigned => s.view_unassigned,
        View::NeedsResponse => s.view_needs_response,
        View::Breached => s.view_breached,
        View::SalesLeads => s.view_sales_leads,
        View::Solved => s.view_solved,
    }
}

/// What the agent narrowed the view to: text (applied on Enter), priority, language and
/// channel (applied at once); empty is any.
#[derive(Clone, Default, PartialEq)]
struct Narrowed {
    q: String,
    priority: String,
    locale: String,
    channel: String,
}

/// The list's query string for `view`, narrowed, from `cursor`.
fn query_string(view: View, me: &str, narrowed: &Narrowed, cursor: Option<&str>) -> String {
    let mut params = view.params(me);
    params.push(("limit", PAGE.to_string()));
    let narrowing = [
        ("q", &narrowed.q),
        ("priority", &narrowed.priority),
        ("locale", &narrowed.locale),
        ("channel", &narrowed.channel),
    ];
    for (name, value) in narrowing {
        if !value.trim().is_empty() {
            params.push((name, value.trim().to_owned()));
        }
    }
    if let Some(cursor) = cursor {
        params.push(("cursor", cursor.to_owned()));
    }
    params
        .into_iter()
        .map(|(name, value)| format!("{name}={}", String::from(js_sys::encode_uri_component(&value))))
        .collect::<Vec<_>>()
        .join("&")
}

fn row(s: &'static ConsoleStrings, session: Session, ticket: TicketSummary, selected: bool) -> impl IntoView {
    let locale = session.locale;
    let age = parse_time(&ticket.created_at).map(|at| relative(locale, at - now_ms())).unwrap_or_default();
    let from = ticket.name.clone().unwrap_or_else(|| ticket.email.clone());
    let href = format!("#/ticket/{}", ticket.id);
    let priority = ticket.priority;
    view! {
        <li class="row" class:selected=selected>
            <a href=href aria-current=selected.then_some("true")>
                <span class="number">{ticket.number}</span>
                <span class="subject">{ticket.subject}</span>
                <span class="from">{from}</span>
                <span class=format!("badge status-{}", ticket.status.as_str())>{agent_status(locale, ticket.status)}</span>
                <span class=format!("badge priority-{}", priority.as_str())>{priority_name(locale, priority)}</span>
                <span class="assignee">{ticket.assignee.unwrap_or_else(|| s.unassigned.to_owned())}</span>
                <span class="age">{age}</span>
            </a>
        </li>
    }
}

#[component]
pub fn Queue(view: View) -> impl IntoView {
    let session = expect_context::<Session>();
    let s = console_strings(session.locale);
    let me = session.name().unwrap_or_default();
    let tick = refresher(REFRESH_MS);
    let signed_out = move |failure: &Failure| {
        if *failure == Failure::SignedOut || *failure == Failure::NotFound {
            session.signed_out.set(true);
        }
    };

    let counts = Cell::new(QueueCounts::default());
    let counts_etag = Kept::new(None::<String>);
    effect(move || {
        tick.track();
        spawn_local_scoped_with_cancellation(async move {
            match api::counts(&session.token(), &session.site(), counts_etag.get_value().as_deref()).await {
                Ok(Fresh::Changed(fresh, etag)) => {
                    counts_etag.set_value(etag);
                    counts.set(fresh);
                }
                Ok(Fresh::Unchanged) => {}
                Err(failure) => signed_out(&failure),
            }
        });
    });

    // The tab's title tells how many tickets wait for someone, also from a background tab.
    effect(move || {
        let waiting = counts.with(|c| c.unassigned);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&if waiting > 0 { format!("({waiting}) {}", s.title) } else { s.title.to_owned() });
        }
    });

    // The search as typed, and as asked (on Enter).
    let typed = Cell::new(String::new());
    let asked = Cell::new(Narrowed::default());
    let first = Cell::new(None::<TicketPage>);
    let first_etag = Kept::new(None::<String>);
    let failed = Cell::new(false);
    let more = Cell::new(Vec::<TicketSummary>::new());
    let next = Cell::new(None::<String>);
    let selected = Cell::new(0usize);
    let me_value = Kept::new(me);
    effect(move || {
        tick.track();
        let narrowed = asked.get();
        // Cancelled if the view goes (or the next refresh starts) before the answer.
        spawn_local_scoped_with_cancellation(async move {
            let query = query_string(view, &me_value.get_value(), &narrowed, None);
            match api::queue(&session.token(), &session.site(), &query, first_etag.get_value().as_deref()).await {
                Ok(Fresh::Changed(page, etag)) => {
                    first_etag.set_value(etag);
                    if more.with_untracked(Vec::is_empty) {
                        next.set(page.next_cursor.clone());
                    }
                    first.set(Some(page));
                    failed.set(false);
                    // The queue is on screen: the ticket page's code comes next, before a click.
                    prefetch_ticket();
                }
                Ok(Fresh::Unchanged) => failed.set(false),
                Err(failure) => {
                    signed_out(&failure);
                    failed.set(true);
                }
            }
        });
    });
    let tickets = Derived::new(move || {
        let mut all: Vec<TicketSummary> = first.with(|p| p.as_ref().map(|p| p.tickets.clone()).unwrap_or_default());
        more.with(|extra| {
            for t in extra {
                if !all.iter().any(|a| a.id == t.id) {
                    all.push(t.clone());
                }
            }
        });
        all
    });
    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else { return };
        let narrowed = asked.get_untracked();
        spawn_local(async move {
            let query = query_string(view, &me_value.get_value(), &narrowed, Some(&cursor));
            match api::queue(&session.token(), &session.site(), &query, None).await {
                Ok(Fresh::Changed(page, _)) => {
                    next.set(page.next_cursor);
                    more.update(|m| m.extend(page.tickets));
                }
                Ok(Fresh::Unchanged) => {}
                Err(failure) => signed_out(&failure),
            }
        });
    };
    let narrow = move |change: Box<dyn FnOnce(&mut Narrowed)>| {
        more.set(Vec::new());
        first_etag.set_value(None);
        selected.set(0);
        asked.update(change);
    };
    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = typed.get_untracked();
        narrow(Box::new(move |n| n.q = q));
    };

    let help = Cell::new(false);
    let search_field = NodeRef::<Input>::new();
    let keys = window_event_listener(ev::keydown, move |event| {
        if typing(&event) {
            // Esc leaves the search field, so the shortcuts work again.
            if event.key() == "Escape" {
                if let Some(field) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = field.blur();
                }
            }
            return;
        }
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let count = tickets.with_untracked(Vec::len);
        match event.key().as_str() {
            "j" if count > 0 => selected.update(|i| *i = (*i + 1).min(count - 1)),
            "k" => selected.update(|i| *i = i.saturating_sub(1)),
            "Enter" => {
                if let Some(t) = tickets.with_untracked(|t| t.get(selected.get_untracked()).cloned()) {
                    go(&Route::Ticket(t.id));
                }
            }
            "/" => {
                event.prevent_default();
                if let Some(field) = search_field.get_untracked() {
                    let _ = field.focus();
                }
            }
            "?" => help.update(|h| *h = !*h),
            "Escape" => help.set(false),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    // "Mine" is by name: the site's admin token has none, so it has no such view.
    let has_name = session.name().is_some();
    let views = View::ALL
        .into_iter()
        .filter(|v| has_name || *v != View::Mine)
        .map(|v| {
            let href = format!("#/queue/{}", view_slug(v));
            view! {
                <li>
                    <a href=href aria-current=(v == view).then_some("page")>
                        <span>{view_label(s, v)}</span>
                        <span class="count">{move || counts.with(|c| v.count(c))}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let list = move || {
        let chosen = selected.get();
        tickets.with(|all| all.iter().enumerate().map(|(i, t)| row(s, session, t.clone(), i == chosen)).collect_view())
    };
    view! {
        <div class="queue-screen">
            <nav class="views" aria-label=s.views_label>
                <ul>{views}</ul>
            </nav>
            <main class="queue">
                <div class="queue-bar">
                    <h1>{view_label(s, view)}</h1>
                    <form class="search" role="search" on:submit=search>
                        <label class="visually-hidden" for="q">{s.search_label}</label>
                        <input id="q" type="search" node_ref=search_field placeholder=s.search_placeholder
                            prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                    </form>
                    <label class="visually-hidden" for="priority-filter">{s.priority}</label>
                    <select id="priority-filter" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        narrow(Box::new(move |n| n.priority = v));
                    }>
                        <option value="">{format!("{}: {}", s.priority, s.any)}</option>
                        {Priority::ALL.into_iter().rev().map(|p| view! { <option value=p.as_str()>{priority_name(session.locale, p)}</option> }).collect_view()}
                    </select>
                    <label class="visually-hidden" for="language-filter">{s.language}</label>
                    <select id="language-filter" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        narrow(Box::new(move |n| n.locale = v));
                    }>
                        <option value="">{format!("{}: {}", s.language, s.any)}</option>
                        {Locale::ALL.into_iter().map(|l| view! { <option value=l.tag()>{l.tag()}</option> }).collect_view()}
                    </select>
                    <label class="visually-hidden" for="channel-filter">{s.channel}</label>
                    <select id="channel-filter" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        narrow(Box::new(move |n| n.channel = v));
                    }>
                        <option value="">{format!("{}: {}", s.channel, s.any)}</option>
                        {CHANNELS.into_iter().map(|c| view! { <option value=c>{channel_name(session.locale, c)}</option> }).collect_view()}
                    </select>
                    <button class="link" type="button" aria-expanded=move || help.get().to_string()
                        on:click=move |_| help.update(|h| *h = !*h)>{s.shortcuts_button}</button>
                </div>
                {shown(move || help.get(), move || fresh(view! {
                    <section class="shortcuts" aria-label=s.shortcuts_title>
                        <h2>{s.shortcuts_title}</h2>
                        <dl>
                            <dt><kbd>"j"</kbd></dt><dd>{s.shortcut_next}</dd>
                            <dt><kbd>"k"</kbd></dt><dd>{s.shortcut_previous}</dd>
                            <dt><kbd>"Enter"</kbd></dt><dd>{s.shortcut_open}</dd>
                            <dt><kbd>"/"</kbd></dt><dd>{s.shortcut_search}</dd>
                            <dt><kbd>"Esc"</kbd></dt><dd>{s.shortcut_back}</dd>
                            <dt><kbd>"?"</kbd></dt><dd>{s.shortcut_help}</dd>
                        </dl>
                    </section>
                }))}
                <p class="status" role="status">
                    {move || if first.with(Option::is_none) && !failed.get() { s.loading } else { "" }}
                </p>
                <p class="notice" role="alert">{move || failed.get().then_some(s.load_failed)}</p>
                <ul class="tickets">{list}</ul>
                {shown(move || first.with(Option::is_some) && tickets.with(Vec::is_empty), move || fresh(view! {
                    <p class="empty">{s.empty_queue}</p>
                }))}
                {shown(move || next.with(Option::is_some), move || fresh(view! {
                    <button class="secondary" type="button" on:click=load_more>{s.load_more}</button>
                }))}
            </main>
        </div>
    }
}
