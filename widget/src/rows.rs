//! The rows the screens list: an article found or suggested, and one of the visitor's requests.

use tabdesk_core::domain::Locale;
use tabdesk_core::domain::TicketStatus;
use tabdesk_core::i18n::{status_name, strings};
use tabdesk_core::kb::highlight_runs;
use tabdesk_core::wire::{CustomerSummary, SearchHit};
use tabdesk_ui::cell::Call;
use tabdesk_ui::{el, fresh, El, Fresh};

use crate::requests::Requests;

/// An article with its snippet, its matched words marked; `on_open` opens it. A `Fresh`: a
/// list's new answer is new rows, not the old rows changed (which took 0.8 KB gzip of code), and
/// nothing in a row holds what the visitor does.
fn hit_view(hit: SearchHit, on_open: Call<String>) -> Fresh {
    let snippet = highlight_runs(&hit.snippet, &hit.highlights).into_iter().fold(
        el("span").class("hit-snippet"),
        |snippet, (text, marked)| if marked { snippet.child(el("mark").text(&text)) } else { snippet.text(&text) },
    );
    let id = hit.id.clone();
    let open = el("button")
        .class("hit")
        .attr("type", "button")
        .on("click", move |_| on_open.run(id.clone()))
        .child(el("span").class("hit-title").text(&hit.title))
        .child(snippet);
    el("li").child(open).into()
}

/// The rows of a list of articles (found or suggested): one instance of the code that lists
/// them, for both lists.
pub fn hit_views(hits: Vec<SearchHit>, on_open: Call<String>) -> Vec<Fresh> {
    hits.into_iter().map(|hit| hit_view(hit, on_open)).collect()
}

/// A subtitle over a list of class `class` that `rows` fills (the home screen's suggested
/// articles and open requests).
pub fn titled_list(title: &str, class: &str, rows: impl Fn() -> Vec<Fresh> + Send + 'static) -> Fresh {
    let list = el("ul").class(class).part(move || fresh(rows()));
    fresh(vec![Fresh::from(el("h3").class("subtitle").text(title)), Fresh::from(list)])
}

/// A request's number and status (`tag`, class `request-meta`), as its row and its thread show
/// them.
pub fn request_meta(tag: &str, locale: Locale, number: &str, status: TicketStatus) -> El {
    let status = el("span").class("request-status").text(status_name(locale, status));
    el(tag).class("request-meta").text(number).text(" · ").child(status)
}

/// A request with its number, status and (when an agent's reply was not shown yet) an unread
/// marker; `on_thread` opens it. Built anew when the list changes: the lists show their rows
/// from a memo, so a refresh that brings nothing new leaves them (and the focus) as they are.
pub fn request_row(locale: Locale, requests: Requests, t: CustomerSummary, on_thread: Call<String>) -> Fresh {
    let unread = requests.is_unread(&t);
    let id = t.id.clone();
    let open = el("button")
        .class("request")
        .attr("type", "button")
        .on("click", move |_| on_thread.run(id.clone()))
        .child(el("span").class("request-subject").text(&t.subject))
        .child(request_meta("span", locale, &t.number, t.status));
    let open = match unread {
        true => open.child(el("span").class("unread").text(strings(locale).unread)),
        false => open,
    };
    el("li").child(open).into()
}
