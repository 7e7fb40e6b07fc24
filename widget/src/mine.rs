//! "My requests": the requests filed from this browser with their status and unread markers
//! (one summaries request), each request's public thread with a reply box, and the way to leave
//! nothing of Tabdesk on this device; and the open ones the home screen lists. Every body is
//! rendered as text, never as HTML.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::{new_replies, request_refused, strings, thread_strings};
use tabdesk_core::ticket::key_for;
use tabdesk_core::validate::validate_message;
use tabdesk_core::wire::{AuthorKind, CustomerSummary, CustomerTicket, Message, NewMessage};
use tabdesk_ui::cell::{answered, effect, Call, Cell, Derived, Kept};
use tabdesk_ui::{button, el, fresh, live, new_key, shown, Fresh};

use crate::api::{self, Refusal};
use crate::requests::{refresher, Reply};
use crate::rows::{request_meta, request_row, titled_list};
use crate::visit::{visit, Visit};

/// Open requests the home screen lists at most.
const OPEN_SHOWN: usize = 3;

/// The home screen's list of the visitor's open requests, with their unread markers; `on_thread`
/// opens one. In this screen's module (`on_demand::open_requests`): only a visitor with requests
/// fetches it.
pub fn open_requests(on_thread: Call<String>) -> Fresh {
    let Visit { locale, inbox, requests, .. } = visit();
    let r = thread_strings(locale);
    // Read by the heading's condition and by the list: worked out once per change.
    let open = Derived::new(move || {
        let list: Vec<CustomerSummary> = inbox.summaries.get().flatten().unwrap_or_default();
        list.into_iter().filter(|t| t.status.is_open()).take(OPEN_SHOWN).collect::<Vec<_>>()
    });
    let row = move |t| request_row(locale, requests, t, on_thread);
    let list = move || {
        titled_list(r.open_requests, "request-list", move || open.get().into_iter().map(row).collect::<Vec<_>>())
    };
    live(shown(move || open.with(|o| !o.is_empty()), list))
}

/// Leaves nothing of Tabdesk on this device: saved requests, read markers, drafts and queued
/// requests and replies, in the iframe's storage or relayed to the host page.
fn delete_my_data(visit: Visit) {
    visit.outbox.clear();
    visit.outbox.delivered.set(None);
    visit.replies.clear();
    visit.requests.forget();
    visit.store.clear();
}

/// The list; `on_thread` opens a request, `on_home` follows a deletion.
pub fn my_requests(on_thread: Call<String>, on_home: Call<()>) -> Fresh {
    let visit = visit();
    let Visit { locale, requests, open, inbox, .. } = visit;
    let (s, r) = (strings(locale), thread_strings(locale));
    let tick = refresher(open);
    // Read again on arrival and while shown.
    effect(move || {
        tick.track();
        spawn_local(inbox.refresh());
    });
    let summaries = inbox.summaries;
    let status = move || match summaries.get() {
        None => s.loading.to_owned(),
        Some(None) => r.requests_failed.to_owned(),
        Some(Some(list)) if list.is_empty() => r.no_requests.to_owned(),
        Some(Some(list)) => match list.iter().filter(|t| requests.is_unread(t)).count() {
            0 => String::new(),
            n => new_replies(locale, n as u64),
        },
    };
    let row = move |t| request_row(locale, requests, t, on_thread);
    // A memo: a refresh that brings the same list builds no row again.
    let listed = Derived::new(move || summaries.get().flatten().unwrap_or_default());
    let list = move || listed.get().into_iter().map(row).collect::<Vec<_>>();
    let section = el("section")
        .class("requests")
        .child(el("h2").class("title").text(s.my_requests))
        .child(el("p").class("status").attr("aria-live", "polite").text_with(status))
        .child(el("ul").class("request-list").part(move || fresh(list())));
    let delete = button("secondary delete-data", r.delete_my_data, move || {
        delete_my_data(visit);
        on_home.run(());
    });
    fresh(vec![Fresh::from(section), Fresh::from(el("footer").class("contact").child(delete))])
}

/// Who wrote `message`, as the customer reads it.
fn author(visit: Visit, message: &Message) -> String {
    let r = thread_strings(visit.locale);
    match (message.author.kind, &message.author.name) {
        (AuthorKind::Customer, _) => r.you.to_owned(),
        (AuthorKind::Agent, Some(name)) => name.clone(),
        _ => r.support_team.to_owned(),
    }
}

/// When a message was written, as the visitor's language writes dates (the browser's `Intl`).
fn local_time(iso: &str, locale: Locale) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let date = js_sys::Date::new(&iso.into());
    if date.get_time().is_nan() {
        return String::new();
    }
    date.to_locale_string(locale.tag(), &options).into()
}

fn message_view(visit: Visit, message: Message) -> Fresh {
    let kind = match message.author.kind {
        AuthorKind::Customer => "message mine",
        _ => "message theirs",
    };
    let when = local_time(&message.created_at, visit.locale);
    let by = el("p").class("message-author").text(&author(visit, &message));
    let by = match when.is_empty() {
        true => by,
        false => by.text(" · ").child(el("time").attr("datetime", &message.created_at).text(&when)),
    };
    el("li").class(kind).child(by).child(el("p").class("message-body").linked(&message.body)).into()
}

/// The public thread of request `id`, read again (with its `ETag`) while the panel is open, and
/// a reply box whose replies go through the reply outbox.
pub fn thread(id: String) -> Fresh {
    let visit = visit();
    let Visit { locale, requests, replies, open, .. } = visit;
    let (s, r) = (strings(locale), thread_strings(locale));
    let id = Kept::new(id);
    let tick = refresher(open);
    // The version shown and its `ETag`: a 304 keeps it, a failed read too.
    let current = Kept::new(None::<(Option<String>, CustomerTicket)>);
    let thread = answered(move || {
        tick.track();
        async move {
            let id = id.get_value();
            let token = requests.token(&id)?;
            let etag = current.with_value(|v| v.as_ref().and_then(|(etag, _)| etag.clone()));
            if let api::Thread::Changed(ticket, etag) = api::thread(&id, &token, etag.as_deref()).await {
                current.set_value(Some((etag, ticket)));
            }
            current.with_value(|v| v.as_ref().map(|(_, ticket)| ticket.clone()))
        }
    });
    // Shown is read: the newest agent reply no longer marks the request unread.
    effect(move || {
        if let Some(Some(ticket)) = thread.get() {
            if let Some(reply) = ticket.messages.iter().rev().find(|m| m.author.kind == AuthorKind::Agent) {
                requests.mark_seen(&id.get_value(), &reply.id);
            }
        }
    });
    // A reply of this thread delivered (at once or from the queue): read the thread again.
    effect(move || {
        if replies.delivered.with(|d| d.as_ref().is_some_and(|d| id.with_value(|id| d == id))) {
            replies.delivered.set(None);
            tick.update(|t| *t += 1);
        }
    });

    let body = Cell::new(String::new());
    let notice = Cell::new(None::<String>);
    let sending = Cell::new(false);
    // The key and the text it was made for: the same text sent again reuses it.
    let attempt = Kept::new(None::<(String, String)>);
    let refuse = move |why: Refusal| {
        notice.set(Some(match why {
            Refusal::Invalid(problems) => problems.into_iter().next().map(|p| p.message).unwrap_or_default(),
            Refusal::Final(detail) => request_refused(locale, &detail),
        }))
    };
    let queued = move || {
        replies.pending.with(|p| p.as_ref().filter(|p| id.with_value(|id| &p.job.id == id)).map(|p| p.job.body.clone()))
    };
    // A queued reply the server refused for good comes back to the box, with its reason.
    effect(move || {
        let ours = replies.refused.with(|r| r.as_ref().is_some_and(|(p, _)| id.with_value(|id| &p.job.id == id)));
        if let Some((pending, why)) = ours.then(|| replies.refused.try_update(Option::take).flatten()).flatten() {
            body.set(pending.job.body.clone());
            attempt.set_value(Some((pending.key, pending.job.body)));
            refuse(why);
        }
    });
    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        if sending.get_untracked() || replies.queued_untracked() {
            return;
        }
        let text = body.get_untracked().trim().to_owned();
        let problems = validate_message(&NewMessage { body: text.clone(), ..NewMessage::default() }, locale);
        if let Some(problem) = problems.into_iter().next() {
            notice.set(Some(problem.message));
            return;
        }
        let Some(access_token) = requests.token(&id.get_value()) else {
            return;
        };
        let key = key_for(attempt.get_value(), &text, new_key);
        attempt.set_value(Some((key.clone(), text.clone())));
        sending.set(true);
        notice.set(None);
        spawn_local(async move {
            let reply = Reply { id: id.get_value(), access_token, body: text };
            let result = replies.send(key, reply).await;
            sending.set(false);
            match result {
                Ok(()) => {
                    body.set(String::new());
                    attempt.set_value(None);
                }
                Err(why) => refuse(why),
            }
        });
    };

    // A memo: a refresh that brings nothing new (a 304, the same answer) changes nothing shown.
    let ticket = Derived::new(move || thread.get().flatten());
    let header = move || match ticket.get() {
        Some(t) => fresh(vec![
            Fresh::from(el("h2").class("title").text(&t.subject)),
            Fresh::from(request_meta("p", locale, &t.number, t.status)),
        ]),
        None => fresh(()),
    };
    let messages = move || {
        let messages = ticket.get().map(|t| t.messages).unwrap_or_default();
        fresh(messages.into_iter().map(|m| message_view(visit, m)).collect::<Vec<_>>())
    };
    let failed = move || matches!(thread.get(), Some(None)).then_some(r.thread_failed).unwrap_or_default();
    let queued_view = move || match queued() {
        Some(text) => Fresh::from(
            el("li")
                .class("message mine queued")
                .child(el("p").class("message-author").text(r.you))
                .child(el("p").class("message-body").text(&text)),
        ),
        None => fresh(()),
    };
    let reply = el("form")
        .class("reply-form")
        .attr("novalidate", "")
        .on("submit", submit)
        .child(el("label").attr("for", "td-reply").text(r.reply_label))
        .child(
            el("textarea")
                .attr("id", "td-reply")
                .attr("rows", "3")
                .prop_with("value", move || body.get().into())
                .on("input", move |ev| body.set(event_target_value(&ev))),
        )
        .child(el("p").class("notice").attr("role", "alert").text_with(move || notice.get().unwrap_or_default()))
        .child(
            el("button")
                .class("primary")
                .attr("type", "submit")
                .flag_with("disabled", move || sending.get() || queued().is_some())
                .text_with(move || if sending.get() { s.sending } else { r.send_reply }),
        );
    Fresh::from(
        el("section")
            .class("thread")
            .part(header)
            .child(el("p").class("status").attr("aria-live", "polite").text_with(move || {
                if thread.get().is_none() {
                    s.loading
                } else {
                    ""
                }
            }))
            .child(el("p").class("notice").attr("role", "alert").text_with(failed))
            .child(el("ol").class("messages").part(messages).part(queued_view))
            .part(shown(
                move || queued().is_some(),
                move || Fresh::from(el("p").class("queued-reply").attr("role", "status").text(r.reply_queued)),
            ))
            .child(reply),
    )
}
