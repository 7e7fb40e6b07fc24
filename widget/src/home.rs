//! The home screen, before anything is typed: when to expect an answer (the site's
//! first-response target), the visitor's open requests with their unread markers, and the
//! articles suggested for the page they are on (the site's choice for it, else the most
//! helpful).

use leptos::task::spawn_local;
use tabdesk_core::i18n::strings;
use tabdesk_core::wire::SearchHit;
use tabdesk_ui::cell::{effect, Call, Cell};
use tabdesk_ui::{el, shown, Fresh};

use crate::api;
use crate::on_demand;
use crate::rows::{hit_views, titled_list};
use crate::visit::{visit, Visit};

pub fn home(on_open: Call<String>, on_thread: Call<String>) -> Fresh {
    let Visit { site, locale, page, placed, requests, reply_note, .. } = visit();
    let s = strings(locale);
    // Read once the page is known, and again when it changes (a signal set by a task, as the
    // search's answer is): the answer for a page the visitor has left is dropped, so a late one
    // never replaces the current page's own.
    let suggested = Cell::new(None::<Vec<SearchHit>>);
    effect(move || {
        if !placed.get() {
            return;
        }
        let page_url = page.with(|p| p.page_url.clone());
        spawn_local(async move {
            let hits = api::suggested(&site.get_value(), page_url.as_deref(), locale.tag()).await;
            if page.try_with_untracked(|p| p.page_url == page_url) == Some(true) {
                suggested.try_set(Some(hits.map(|r| r.hits).unwrap_or_default()));
            }
        });
    });
    let note = reply_note.get_value().map(|note| Fresh::from(el("p").class("reply-time").text(&note)));
    let suggestions = move || {
        titled_list(s.suggested, "hits suggested", move || hit_views(suggested.get().unwrap_or_default(), on_open))
    };
    Fresh::from(
        el("div")
            .class("home")
            .maybe(note)
            // Only a visitor with requests fetches the list's code (the module fetched on demand).
            .part(shown(move || requests.list.with(|l| !l.is_empty()), move || on_demand::open_requests(on_thread)))
            .part(shown(move || suggested.with(|h| h.as_ref().is_some_and(|h| !h.is_empty())), suggestions)),
    )
}
