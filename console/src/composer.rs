//! The composer: a public reply or an internal note. The draft is kept per ticket (this tab's
//! sessionStorage) until it is sent; a send carries an `Idempotency-Key` made for that text, and
//! when the connection drops it is retried with the same key until an answer comes, so a reply
//! is stored once however often it is tried.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::console::console_strings;
use tabdesk_core::kb::publish::article_page;
use tabdesk_core::ticket::{fill_reply, key_for};
use tabdesk_core::validate::validate_message;
use tabdesk_core::wire::{NewMessage, SearchHit, TicketSummary, Visibility};
use tabdesk_ui::cell::{Call, Cell, Kept};
use tabdesk_ui::{new_key, sleep};
use wasm_bindgen::JsCast;

use crate::api::{self, Failure};
use crate::session::{draft, save_draft, Session};

/// How long a send waits before trying again after no answer.
const RETRY_MS: u32 = 4_000;

#[component]
pub fn Composer(ticket: TicketSummary, on_sent: Call<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let locale = session.locale;
    let s = console_strings(locale);
    let id = Kept::new(ticket.id.clone());
    let saved = session.me.with_value(|m| m.saved_replies.clone());
    let ticket = Kept::new(ticket);
    let body = Cell::new(draft(&id.get_value()));
    let visibility = Cell::new(Visibility::Public);
    let notice = Cell::new(None::<String>);
    let sending = Cell::new(false);
    // The key and the message it was made for: the same message sent again reuses it.
    let attempt = Kept::new(None::<(String, NewMessage)>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let message =
            NewMessage { body: body.get_untracked().trim().to_owned(), visibility: visibility.get_untracked() };
        if let Some(problem) = validate_message(&message, locale).into_iter().next() {
            notice.set(Some(problem.message));
            return;
        }
        let key = key_for(attempt.get_value(), &message, new_key);
        attempt.set_value(Some((key.clone(), message.clone())));
        sending.set(true);
        notice.set(None);
        spawn_local(async move {
            let ticket = id.get_value();
            let outcome = loop {
                match api::message(&session.token(), &ticket, &message, &key).await {
                    Err(Failure::Transient) => {
                        notice.set(Some(s.send_waiting.to_owned()));
                        sleep(RETRY_MS).await;
                    }
                    done => break done,
                }
            };
            if outcome.is_ok() {
                save_draft(&ticket, "");
            }
            // The agent may have left the ticket while it was sent: nothing here to update then.
            if sending.is_disposed() {
                return;
            }
            sending.set(false);
            match outcome {
                Ok(_) => {
                    notice.set(None);
                    body.set(String::new());
                    attempt.set_value(None);
                    on_sent.run(());
                }
                Err(Failure::SignedOut) => session.signed_out.set(true),
                Err(Failure::Invalid(problems)) => {
                    notice.set(problems.into_iter().next().map(|p| format!("{} {}", s.send_refused, p.message)))
                }
                Err(Failure::Final(detail)) => notice.set(Some(format!("{} {detail}", s.send_refused))),
                Err(_) => notice.set(Some(format!("{} {}", s.send_refused, s.no_such_ticket))),
            }
        });
    };
    let internal = move || visibility.get() == Visibility::Internal;
    // A saved reply goes after what is written, filled in for this ticket, to be edited.
    let saved_reply = (!saved.is_empty()).then(|| {
        let replies = Kept::new(saved.clone());
        let insert = move |ev: leptos::ev::Event| {
            let Ok(i) = event_target_value(&ev).parse::<usize>() else { return };
            let Some(reply) = replies.with_value(|r| r.get(i).cloned()) else { return };
            let filled = ticket.with_value(|t| fill_reply(&reply.body, t));
            body.update(|b| {
                if !b.trim().is_empty() {
                    b.push_str("\n\n");
                }
                b.push_str(&filled);
            });
            save_draft(&id.get_value(), &body.get_untracked());
            if let Some(select) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                select.set_value("");
            }
        };
        view! {
            <label for="saved-reply" class="visually-hidden">{s.insert_saved_reply}</label>
            <select id="saved-reply" class="saved-replies" on:change=insert>
                <option value="">{s.insert_saved_reply}</option>
                {saved.into_iter().enumerate().map(|(i, r)| view! { <option value=i.to_string()>{r.title}</option> }).collect_view()}
            </select>
        }
    });
    // An article of the knowledge base, found by its words, goes in as its title and address.
    let article_query = Cell::new(String::new());
    let found = Cell::new(Vec::<SearchHit>::new());
    let find = move |ev: leptos::ev::Event| {
        let q = event_target_value(&ev);
        article_query.set(q.clone());
        if q.trim().chars().count() < 2 {
            found.set(Vec::new());
            return;
        }
        let locale = ticket.with_value(|t| t.locale);
        spawn_local(async move {
            if let Ok(results) = api::articles(&session.token(), &session.site(), &q, locale.tag()).await {
                if !article_query.is_disposed() && article_query.get_untracked() == q {
                    found.set(results.hits);
                }
            }
        });
    };
    let insert_article = move |hit: SearchHit| {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        let page = ticket.with_value(|t| article_page(&session.site(), &hit.id, t.locale));
        body.update(|b| {
            if !b.trim().is_empty() {
                b.push('\n');
            }
            b.push_str(&format!("{}: {origin}{page}", hit.title));
        });
        save_draft(&id.get_value(), &body.get_untracked());
        article_query.set(String::new());
        found.set(Vec::new());
    };
    view! {
        <form class="composer" class:internal=internal novalidate on:submit=submit>
            <fieldset class="visibility">
                <legend class="visually-hidden">{s.composer_label}</legend>
                <label>
                    <input type="radio" name="visibility" prop:checked=move || !internal()
                        on:change=move |_| visibility.set(Visibility::Public)/>
                    {s.reply_public}
                </label>
                <label>
                    <input type="radio" name="visibility" prop:checked=internal
                        on:change=move |_| visibility.set(Visibility::Internal)/>
                    {s.reply_internal}
                </label>
            </fieldset>
            {saved_reply}
            <label for="composer-body" class="visually-hidden">{s.composer_label}</label>
            <textarea id="composer-body" rows="5" prop:value=move || body.get()
                aria-describedby="composer-hint"
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    save_draft(&id.get_value(), &text);
                    body.set(text);
                }></textarea>
            <div class="article-finder">
                <label for="article-query">{s.insert_article}</label>
                <input id="article-query" type="search" autocomplete="off" prop:value=move || article_query.get() on:input=find/>
                <ul class="found">
                    {move || found.get().into_iter().map(|hit| {
                        let title = hit.title.clone();
                        view! { <li><button class="link" type="button" on:click=move |_| insert_article(hit.clone())>{title}</button></li> }
                    }).collect_view()}
                </ul>
            </div>
            <p id="composer-hint" class="hint">
                {move || if internal() { s.composer_internal_hint } else { s.composer_public_hint }}
            </p>
            <p class="notice" role="alert">{move || notice.get()}</p>
            <button class="primary" type="submit" disabled=move || sending.get()>
                {move || if sending.get() { s.sending } else { s.send }}
            </button>
        </form>
    }
}
