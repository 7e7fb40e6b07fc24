//! A ticket as agents work it: the whole thread (internal notes marked), the composer, the
//! controls (status, priority, assignee, tags — a save sends only what changed, so two agents
//! changing different fields both win), and what the customer brought: contact, page, fields,
//! articles read, searches, triage with its reasons, and the service-level timers.

use leptos::ev::{self, SubmitEvent};
use leptos::prelude::*;
use leptos::task::{spawn_local, spawn_local_scoped_with_cancellation};
use serde::Serialize;
use tabdesk_core::domain::{Locale, Priority, TicketStatus};
use tabdesk_core::i18n::console::{agent_status, console_strings, delivery, priority_name, relative, ConsoleStrings};
use tabdesk_core::kb::publish::article_page;
use tabdesk_core::sla::parse_time;
use tabdesk_core::url::is_http_url;
use tabdesk_core::wire::{AuthorKind, Message, SlaStatus, TicketDetail, TicketSummary, TicketUpdate, Visibility};
use tabdesk_ui::cell::{effect, Call, Cell, Derived, Kept};
use tabdesk_ui::linked;

use crate::api::{self, Failure, Fresh};
use crate::clock::{local_time, now_ms, refresher};
use crate::composer::Composer;
use crate::keys::typing;
use crate::session::Session;

/// A due time this close (ms) turns amber.
const SOON_MS: i64 = 60 * 60 * 1000;

/// A serialized unit enum as its text (`"negative"`).
fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn message_view(s: &'static ConsoleStrings, locale: Locale, message: Message) -> impl IntoView {
    let internal = message.visibility == Visibility::Internal;
    let (kind, who) = match message.author.kind {
        AuthorKind::Customer => ("customer", message.author.name.clone().unwrap_or_else(|| s.customer_author.into())),
        AuthorKind::Agent => ("agent", message.author.name.clone().unwrap_or_else(|| s.agent_author.into())),
        AuthorKind::System => ("system", s.automatic_author.to_owned()),
    };
    view! {
        <li class=format!("message {kind}") class:internal=internal>
            <p class="message-meta">
                <span class="author">{who}</span>
                {internal.then(|| view! { <span class="badge internal">{s.internal_badge}</span> })}
                <time datetime=message.created_at.clone()>{local_time(&message.created_at, locale)}</time>
            </p>
            <p class="message-body">{linked(&message.body)}</p>
            {message.delivery.map(|d| view! {
                <p class=format!("delivery {}", d.state.as_str()) role="status">{delivery(locale, &d)}</p>
            })}
        </li>
    }
}

/// One service-level timer: when it is (or was) due, and how it stands.
fn timer(session: Session, label: &'static str, due: &str, done: Option<&str>, breached: bool) -> impl IntoView {
    let now = now_ms();
    let due_ms = parse_time(due).unwrap_or(now);
    let state = match (breached, done) {
        (true, _) => "late",
        (false, None) if due_ms - now < SOON_MS => "soon",
        _ => "ok",
    };
    let when = match done.and_then(parse_time) {
        Some(at) => relative(session.locale, at - now),
        None => relative(session.locale, due_ms - now),
    };
    view! {
        <div class=format!("timer {state}")>
            <dt>{label}</dt>
            <dd>{when}</dd>
        </div>
    }
}

fn sla_view(session: Session, sla: &SlaStatus) -> impl IntoView {
    let s = console_strings(session.locale);
    view! {
        <section class="panel">
            <h2>{s.service_level}</h2>
            <dl class="timers">
                {timer(session, s.first_response, &sla.first_response_due, sla.first_response_at.as_deref(), sla.first_response_breached)}
                {timer(session, s.resolution, &sla.resolution_due, sla.resolved_at.as_deref(), sla.resolution_breached)}
            </dl>
        </section>
    }
}

/// A term and its value, when there is one.
fn fact(term: &'static str, value: Option<String>) -> impl IntoView {
    value.filter(|v| !v.is_empty()).map(|v| view! { <dt>{term}</dt><dd>{v}</dd> })
}

fn customer_view(s: &'static ConsoleStrings, site: &str, t: &TicketSummary) -> impl IntoView {
    let page = t.context.page_url.clone().map(|url| {
        let safe = is_http_url(&url);
        view! {
            <dt>{s.page}</dt>
            <dd>{if safe {
                let text = url.clone();
                view! { <a href=url target="_blank" rel="noopener noreferrer">{text}</a> }.into_any()
            } else {
                url.into_any()
            }}</dd>
        }
    });
    let fields = t
        .fields
        .iter()
        .map(|(name, value)| {
            let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            view! { <dt>{name.clone()}</dt><dd>{text}</dd> }
        })
        .collect_view();
    // What the site's signed token vouches for, marked so: the customer could not have typed it.
    let badge = move || view! { " "<span class="badge verified">{s.verified_badge}</span> };
    let verified = t.verified.clone().map(|v| {
        let claims = v.fields.into_iter().map(|(name, value)| view! { <dt>{name}</dt><dd>{value}{badge()}</dd> });
        view! {
            <dt>{s.verified_id}</dt><dd>{v.id}{badge()}</dd>
            {claims.collect_view()}
        }
    });
    view! {
        <section class="panel">
            <h2>{s.customer}</h2>
            <dl>
                {fact(s.customer, Some(match &t.name { Some(name) => format!("{name} <{}>", t.email), None => t.email.clone() }))}
                {page}
                {fact(s.referrer, t.context.referrer.clone())}
                {fact(s.channel, t.context.channel.clone())}
                {fact(s.language, Some(t.locale.tag().to_owned()))}
                {fact(s.browser, t.context.user_agent.clone())}
                {fact(s.category, t.category.clone())}
                {verified}
                {fields}
                {(!t.viewed_articles.is_empty()).then(|| view! {
                    <dt>{s.viewed_articles}</dt>
                    <dd>{t.viewed_articles.iter().map(|id| {
                        let href = article_page(site, id, t.locale);
                        view! { <a class="article-link" href=href target="_blank" rel="noopener noreferrer">{id.clone()}</a>" " }
                    }).collect_view()}</dd>
                })}
                {fact(s.searches, Some(t.searches.join(" · ")))}
            </dl>
        </section>
    }
}

fn triage_view(s: &'static ConsoleStrings, t: &TicketSummary) -> impl IntoView {
    let yes_no = |b: bool| if b { s.yes } else { s.no };
    let tr = &t.triage;
    let rows = [
        (s.topic, tr.topic.value.clone(), tr.topic.rule.clone()),
        (s.language, word(&tr.language.value), tr.language.rule.clone()),
        (s.intent, word(&tr.intent.value), tr.intent.rule.clone()),
        (s.sentiment, word(&tr.sentiment.value), tr.sentiment.rule.clone()),
        (s.urgent, yes_no(tr.urgent.value).to_owned(), tr.urgent.rule.clone()),
        (s.needs_response, yes_no(tr.needs_response.value).to_owned(), tr.needs_response.rule.clone()),
        (s.sales_lead, yes_no(tr.sales_lead).to_owned(), String::new()),
        (s.priority, word(&tr.priority.value), tr.priority.rule.clone()),
    ];
    view! {
        <section class="panel">
            <h2>{s.triage}</h2>
            <dl>
                {rows.into_iter().map(|(term, value, why)| view! {
                    <dt>{term}</dt>
                    <dd>{value}{(!why.is_empty()).then(|| view! { <span class="why">{why}</span> })}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

/// Status, priority, assignee and tags; a save sends only the fields that differ from `t`.
#[component]
fn Controls(ticket: TicketSummary, on_saved: Call<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let locale = session.locale;
    let s = console_strings(locale);
    let original = Kept::new(ticket.clone());
    let status = Cell::new(ticket.status);
    let priority = Cell::new(ticket.priority);
    let assignee = Cell::new(ticket.assignee.clone().unwrap_or_default());
    let tags = Cell::new(ticket.tags.join(", "));
    let notice = Cell::new(None::<String>);
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let was = original.get_value();
        let wanted_tags: Vec<String> =
            tags.get_untracked().split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        let wanted_assignee = Some(assignee.get_untracked().trim().to_owned()).filter(|a| !a.is_empty());
        let change = TicketUpdate {
            status: Some(status.get_untracked()).filter(|s| *s != was.status),
            priority: Some(priority.get_untracked()).filter(|p| *p != was.priority),
            tags: Some(wanted_tags).filter(|t| *t != was.tags),
            assignee: Some(wanted_assignee).filter(|a| *a != was.assignee),
        };
        if change == TicketUpdate::default() {
            return;
        }
        spawn_local(async move {
            let answer = api::update(&session.token(), &was.id, &change).await;
            if notice.is_disposed() {
                return;
            }
            match answer {
                Ok(updated) => {
                    original.set_value(updated);
                    notice.set(Some(s.saved.to_owned()));
                    on_saved.run(());
                }
                Err(Failure::SignedOut) => session.signed_out.set(true),
                Err(Failure::Invalid(problems)) => notice.set(Some(
                    problems.into_iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join(" "),
                )),
                Err(Failure::Transient) => notice.set(Some(s.no_connection.to_owned())),
                Err(Failure::Final(detail)) => notice.set(Some(detail)),
                Err(Failure::NotFound) => notice.set(Some(s.no_such_ticket.to_owned())),
            }
        });
    };
    let me = session.name();
    view! {
        <form class="panel controls" on:submit=save>
            <label for="status">{s.status}</label>
            <select id="status" on:change=move |ev| {
                if let Some(v) = TicketStatus::parse(&event_target_value(&ev)) { status.set(v) }
            }>
                {TicketStatus::ALL.into_iter().map(|v| view! {
                    <option value=v.as_str() selected=move || status.get() == v>{agent_status(locale, v)}</option>
                }).collect_view()}
            </select>
            <label for="priority">{s.priority}</label>
            <select id="priority" on:change=move |ev| {
                if let Some(v) = Priority::parse(&event_target_value(&ev)) { priority.set(v) }
            }>
                {Priority::ALL.into_iter().map(|v| view! {
                    <option value=v.as_str() selected=move || priority.get() == v>{priority_name(locale, v)}</option>
                }).collect_view()}
            </select>
            <label for="assignee">{s.assignee}</label>
            <div class="with-action">
                <input id="assignee" placeholder=s.unassigned prop:value=move || assignee.get()
                    on:input=move |ev| assignee.set(event_target_value(&ev))/>
                {me.map(|name| view! {
                    <button class="link" type="button" on:click=move |_| assignee.set(name.clone())>{s.assign_to_me}</button>
                })}
            </div>
            <label for="tags">{s.tags}</label>
            <input id="tags" aria-describedby="tags-hint" prop:value=move || tags.get()
                on:input=move |ev| tags.set(event_target_value(&ev))/>
            <p id="tags-hint" class="hint">{s.tags_hint}</p>
            <p class="notice" role="status">{move || notice.get()}</p>
            <button class="primary" type="submit">{s.save}</button>
        </form>
    }
}

#[component]
pub fn TicketPage(id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let s = console_strings(session.locale);
    let id = Kept::new(id);
    let tick = refresher(10_000);
    let detail = Cell::new(None::<Result<TicketDetail, Failure>>);
    let etag = Kept::new(None::<String>);
    let reload = move || tick.update(|t| *t += 1);
    effect(move || {
        tick.track();
        // Cancelled if the screen goes (or the next refresh starts) before the answer.
        spawn_local_scoped_with_cancellation(async move {
            match api::ticket(&session.token(), &id.get_value(), etag.get_value().as_deref()).await {
                Ok(Fresh::Changed(fresh, tag)) => {
                    etag.set_value(tag);
                    detail.set(Some(Ok(fresh)));
                }
                Ok(Fresh::Unchanged) => {}
                Err(Failure::SignedOut) => session.signed_out.set(true),
                // A passing outage keeps what is shown.
                Err(Failure::Transient) if detail.with_untracked(Option::is_some) => {}
                Err(failure) => detail.set(Some(Err(failure))),
            }
        });
    });
    let keys = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" && !typing(&event) {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.back();
            }
        }
    });
    on_cleanup(move || keys.remove());
    let on_changed = Call::new(move |()| reload());
    // The screen is built once, when the ticket first arrives; a refresh then changes only what
    // it shows (thread, badges, panels), never the controls or the composer, so an agent's
    // unsaved choice or half-written reply keeps its place and its focus.
    let loaded = Derived::new(move || detail.with(|d| matches!(d, Some(Ok(_)))));
    let shown = move || detail.with(|d| d.as_ref().and_then(|d| d.as_ref().ok()).cloned());
    let screen = move || {
        if !loaded.get() {
            return (move || match detail.get() {
                Some(Err(Failure::NotFound)) => {
                    view! { <p class="notice" role="alert">{s.no_such_ticket}</p> }.into_any()
                }
                Some(Err(_)) => view! { <p class="notice" role="alert">{s.load_failed}</p> }.into_any(),
                _ => view! { <p class="status" role="status">{s.loading}</p> }.into_any(),
            })
            .into_any();
        }
        // Untracked: only `loaded` may rebuild the screen.
        let Some(first) = untrack(shown) else { return ().into_any() };
        let t = first.ticket;
        let meta = move || {
            shown().map(|d| {
                let t = d.ticket;
                view! {
                    <span class="number">{t.number}</span>
                    <span class=format!("badge status-{}", t.status.as_str())>{agent_status(session.locale, t.status)}</span>
                    <span class=format!("badge priority-{}", t.priority.as_str())>{priority_name(session.locale, t.priority)}</span>
                }
            })
        };
        let thread =
            move || shown().map(|d| d.messages.into_iter().map(|m| message_view(s, session.locale, m)).collect_view());
        let panels = move || {
            shown().map(|d| {
                view! {
                    {sla_view(session, &d.sla)}
                    {customer_view(s, &session.site(), &d.ticket)}
                    {triage_view(s, &d.ticket)}
                }
            })
        };
        view! {
            <div class="ticket-screen">
                <main class="ticket">
                    <p class="ticket-meta">{meta}</p>
                    <h1>{t.subject.clone()}</h1>
                    <section aria-label=s.thread>
                        <ol class="thread">{thread}</ol>
                    </section>
                    <Composer ticket=t.clone() on_sent=on_changed/>
                </main>
                <aside class="sidebar">
                    <Controls ticket=t on_saved=on_changed/>
                    {panels}
                </aside>
            </div>
        }
        .into_any()
    };
    view! {
        <nav class="crumbs"><a href="#/queue/unassigned" on:click=move |ev| {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                if history.length().unwrap_or(0) > 1 {
                    ev.prevent_default();
                    let _ = history.back();
                }
            }
        }>{"← "}{s.back_to_queue}</a></nav>
        {screen}
    }
}
