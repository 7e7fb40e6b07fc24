//! The widget's frame: header with back and close, and the current screen. It also wires what
//! the host page's messages mean, and provides what every screen shares (`Visit`).

use gloo_timers::callback::Timeout;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::domain::limits::MAX_VIEWED_ARTICLES;
use tabdesk_core::i18n::strings;
use tabdesk_core::wire::{EmbedBoot, EmbedMode, HostEvent, HostMessage, PageContext, WidgetMessage};
use tabdesk_ui::cell::{effect, Call, Cell, Derived, Kept};
use tabdesk_ui::{button, el, shown, Fresh};

use crate::article::article_view;
use crate::host::Host;
use crate::inbox::Inbox;
use crate::on_demand;
use crate::outbox::Outbox;
use crate::requests::Requests;
use crate::search::{search_screen, SearchState};
use crate::store::Store;
use crate::visit::Visit;

/// How long the home screen waits for the host page to say where the visitor is, in ms (it
/// says so a few ms after the widget is ready).
const PLACED_WAIT_MS: u32 = 1_000;

#[derive(Clone, Copy, PartialEq)]
enum Screen {
    Home,
    Contact,
    Requests,
}

/// What the host page's `Tabdesk(…)` calls ask of the screens: a search, an article.
#[derive(Clone, Copy)]
struct Asked {
    search: Call<String>,
    article: Call<String>,
}

/// Takes the host page's messages: the page context they carry lands in `visit.page`, a
/// reopened panel retries the outboxes, a hidden one stops refreshing (the loader says so on
/// every hide, asked by the widget or not), the items the host kept for the widget (when the
/// iframe has no storage of its own) go back into the store once opened, and the page's calls
/// go to the screens (`asked`) or wait for the form (`visit.prefill`, `visit.identity`). Esc anywhere in the widget
/// asks to close.
fn connect(host: Host, visit: Visit, asked: Asked) {
    let Visit {
        site, page, placed, store, outbox, replies, requests, restored, open, prefill, identity, inbox, ..
    } = visit;
    host.listen(move |message| match message {
        HostMessage::Context { context } => {
            page.update(|old| {
                // The page knows the channel best; the site's default stays otherwise.
                let channel = context.channel.clone().or(old.channel.take());
                *old = PageContext { channel, ..context };
            });
            mark_placed(placed);
        }
        HostMessage::Open => {
            open.set(true);
            outbox.retry_now();
            replies.retry_now();
            spawn_local(inbox.refresh());
        }
        HostMessage::Close => open.set(false),
        HostMessage::Restore { items } => spawn_local(async move {
            if store.restore(items).await {
                outbox.reload();
                replies.reload();
                requests.reload();
                restored.set(true);
            }
        }),
        HostMessage::Search { query } => asked.search.run(query),
        HostMessage::ShowArticle { id } => asked.article.run(id),
        HostMessage::Prefill { values } => prefill.set(Some(values)),
        HostMessage::Identify { token } => {
            let token = token.filter(|t| !t.is_empty());
            identity.set(token.clone());
            // A signed-in customer's requests from other devices join "My requests".
            if let Some(token) = token {
                spawn_local(requests.adopt_signed_in(site.get_value(), token));
            }
        }
    });
    let keys = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            host.post(&WidgetMessage::Close);
        }
    });
    on_cleanup(move || keys.remove());
    host.post(&WidgetMessage::Ready);
}

/// Whether the page the visitor is on is known (`Visit::placed`): at once without a host page to
/// tell it; with one, once it does, or after [`PLACED_WAIT_MS`] if it never does (the widget's
/// page opened by itself with a host's address), so that nothing waits on it for ever.
fn told_where(host_tells: bool) -> Cell<bool> {
    let placed = Cell::new(!host_tells);
    if host_tells {
        Timeout::new(PLACED_WAIT_MS, move || mark_placed(placed)).forget();
    }
    placed
}

/// Sets `placed` once: setting a signal wakes its readers even when the value is the same, and
/// the home screen would ask for its suggestions again.
fn mark_placed(placed: Cell<bool>) {
    if placed.try_get_untracked() == Some(false) {
        placed.set(true);
    }
}

/// The app: what the boot data says, the visit every screen shares, and the frame.
pub fn app(boot: EmbedBoot) -> Fresh {
    let locale = boot.locale;
    let s = strings(locale);
    let config = boot.config;
    let host_tells = boot.mode == EmbedMode::Frame && boot.parent_origin.is_some();
    let host = Host::new(boot.parent_origin);
    let store = Store::new(host, &config.site);
    let site = Kept::new(config.site.clone());
    let outbox = Outbox::new(site, store);
    let requests = Requests::new(site, store);
    let visit = Visit {
        site,
        locale,
        form: Kept::new(config.form),
        turnstile: Kept::new(config.turnstile_site_key),
        page: Cell::new(PageContext {
            channel: boot.channel.clone().or_else(|| config.channels.first().cloned()),
            ..PageContext::default()
        }),
        placed: told_where(host_tells),
        viewed: Cell::new(Vec::new()),
        searches: Cell::new(Vec::new()),
        store,
        outbox,
        replies: Outbox::new(site, store),
        requests,
        open: Cell::new(true),
        restored: Cell::new(false),
        prefill: Cell::new(None),
        identity: Cell::new(None),
        identity_required: config.identity_required,
        launch: Kept::new((boot.launched, boot.telegram_app)),
        inbox: Inbox::new(requests, host),
        reply_note: Kept::new(boot.reply_note),
    };
    crate::visit::provide(visit);
    let screen = Cell::new(Screen::Home);
    // The request read in "My requests".
    let thread = Cell::new(None::<String>);
    // Lives here, not in the search screen, so that "Back" finds the query and results as left.
    let search = SearchState::new(visit);
    // The article read inline over the current screen, and the search it was opened from.
    let article = Cell::new(None::<String>);
    let led_by = Kept::new(None::<String>);
    let on_open = Call::new(move |id: String| {
        visit.viewed.update(|v| {
            if !v.contains(&id) && v.len() < MAX_VIEWED_ARTICLES {
                v.push(id.clone());
            }
        });
        led_by.set_value(if screen.get_untracked() == Screen::Home { search.asked() } else { None });
        host.post(&WidgetMessage::Event { event: HostEvent::ArticleViewed { id: id.clone() } });
        article.set(Some(id));
    });
    let on_search = Call::new(move |query: String| {
        article.set(None);
        thread.set(None);
        outbox.delivered.set(None);
        screen.set(Screen::Home);
        search.ask(query);
    });
    connect(host, visit, Asked { search: on_search, article: on_open });
    let framed = boot.mode == EmbedMode::Frame;
    let on_contact = Call::new(move |()| {
        article.set(None);
        screen.set(Screen::Contact);
    });
    // Only a request the server stored goes to "My requests" (its token comes with the 201), and
    // the host page hears of it.
    effect(move || {
        outbox.delivered.with(|d| {
            if let Some(delivered) = d {
                spawn_local(requests.keep(delivered.clone()));
                let (id, number) = (delivered.id.clone(), delivered.number.clone());
                host.post(&WidgetMessage::Event { event: HostEvent::TicketCreated { id, number } });
            }
        })
    });
    let on_requests = Call::new(move |()| {
        thread.set(None);
        screen.set(Screen::Requests);
    });
    let on_thread = Call::new(move |id: String| thread.set(Some(id)));
    // From the home screen's list of open requests, straight to one of them.
    let on_open_thread = Call::new(move |id: String| {
        thread.set(Some(id));
        screen.set(Screen::Requests);
    });
    let on_home = Call::new(move |()| {
        thread.set(None);
        screen.set(Screen::Home);
    });
    // A request the server refused while queued goes back to the form.
    effect(move || {
        if outbox.refused.with(Option::is_some) {
            screen.set(Screen::Contact);
        }
    });

    let on_new = Call::new(move |()| {
        outbox.delivered.set(None);
        screen.set(Screen::Contact);
    });
    // Each change builds the screen anew (`Fresh`): only a change of whether a request waits,
    // not each attempt to send it.
    let queued = Derived::new(move || outbox.queued());
    let body = move || {
        if let Some(done) = outbox.delivered.get() {
            return on_demand::sent(done, on_new);
        }
        if queued.get() {
            return el("section")
                .class("queued")
                .attr("role", "status")
                .child(el("h2").text(s.queued_title))
                .child(el("p").text(s.queued_body))
                .child(button("secondary", s.retry_now, move || outbox.retry_now()))
                .into();
        }
        if let Some(id) = article.get() {
            return untrack(|| article_view(id, led_by.get_value(), on_contact));
        }
        match screen.get() {
            Screen::Home => untrack(|| search_screen(search, on_contact, on_open, on_requests, on_open_thread)),
            Screen::Contact => on_demand::contact(on_open),
            Screen::Requests => on_demand::requests(thread.get(), on_thread, on_home),
        }
    };

    let back = move || {
        // Back from an article returns to where it was opened.
        if article.get_untracked().is_some() {
            article.set(None);
        } else if thread.get_untracked().is_some() {
            thread.set(None);
        } else {
            outbox.delivered.set(None);
            screen.set(Screen::Home);
        }
    };
    let back = move || Fresh::from(button("icon", "←", back).attr("aria-label", s.back));
    let close = framed.then(|| {
        Fresh::from(button("icon close", "×", move || host.post(&WidgetMessage::Close)).attr("aria-label", s.close))
    });
    let bar = el("header")
        .class("bar")
        .part(shown(move || screen.get() != Screen::Home || article.with(Option::is_some), back))
        .child(el("h1").text(&config.name))
        .maybe(close);
    Fresh::from(
        el("div")
            .class(if framed { "panel" } else { "panel page" })
            .child(bar)
            .child(el("main").class("body").part(body)),
    )
}
