//! Site settings, for admins: the embed code, agents (invite — the token shown once — and
//! revoke), channels (`channels`), and the configuration — allowed origins, service levels, automatic replies, the
//! contact form, routing rules, saved replies, and the rest as JSON. The worker checks a save with core's
//! `validate_config` and its field errors are shown as they come; the console does not run that
//! check itself, which would add 20 KB (gzip) to every agent's download for no other gain.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::config::{BusinessHours, OpenHours, RoutingRule, SavedReply, SiteConfig};
use tabdesk_core::domain::{Locale, Priority};
use tabdesk_core::i18n::console::{console_strings, priority_name, weekday, ConsoleStrings};
use tabdesk_core::wire::{Agent, NewAgent, Role};
use tabdesk_ui::cell::{Cell, Derived};

use crate::api::{self, failure_text, Failure};
use crate::categories::form_editor;
use crate::channels::Channels;
use crate::clock::local_time;
use crate::editing::{localized_inputs, Change};
use crate::session::Session;

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

#[component]
fn Agents() -> impl IntoView {
    let session = expect_context::<Session>();
    let s = console_strings(session.locale);
    let agents = Cell::new(Vec::<Agent>::new());
    let notice = Cell::new(None::<String>);
    let token = Cell::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            match api::agents(&session.token(), &session.site()).await {
                Ok(list) => agents.set(list),
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        })
    };
    reload();
    let (name, email, role) = (Cell::new(String::new()), Cell::new(String::new()), Cell::new(Role::Agent));
    let invite = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new = NewAgent { name: name.get_untracked(), email: email.get_untracked(), role: role.get_untracked() };
        spawn_local(async move {
            match api::invite(&session.token(), &session.site(), &new).await {
                Ok(created) => {
                    token.set(Some(created.token));
                    name.set(String::new());
                    email.set(String::new());
                    notice.set(None);
                    reload();
                }
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match api::revoke(&session.token(), &session.site(), &id).await {
                Ok(()) => reload(),
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        })
    };
    let role_name = move |r: Role| if r == Role::Admin { s.role_admin } else { s.role_agent };
    view! {
        <section class="panel" aria-labelledby="agents-title">
            <h2 id="agents-title">{s.agents}</h2>
            <table class="agents">
                <thead><tr><th>{s.name}</th><th>{s.email}</th><th>{s.role}</th><th>{s.since}</th><th></th></tr></thead>
                <tbody>
                    {move || agents.get().into_iter().map(|a| {
                        let id = a.id.clone();
                        view! {
                            <tr>
                                <td>{a.name}</td><td>{a.email}</td><td>{role_name(a.role)}</td>
                                <td>{local_time(&a.created_at, session.locale)}</td>
                                <td><button class="link" type="button" on:click=move |_| revoke(id.clone())>{s.revoke}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="inline-form" on:submit=invite>
                <label for="agent-name">{s.name}</label>
                <input id="agent-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="agent-email">{s.email}</label>
                <input id="agent-email" type="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                <label for="agent-role">{s.role}</label>
                <select id="agent-role" on:change=move |ev| role.set(if event_target_value(&ev) == "admin" { Role::Admin } else { Role::Agent })>
                    <option value="agent">{s.role_agent}</option>
                    <option value="admin">{s.role_admin}</option>
                </select>
                <button class="primary" type="submit">{s.invite}</button>
            </form>
            {move || token.get().map(|t| view! {
                <div class="token-once" role="status">
                    <p>{s.token_once}</p>
                    <code class="token">{t}</code>
                </div>
            })}
            <p class="notice" role="alert">{move || notice.get()}</p>
        </section>
    }
}

/// The weekly schedule service levels are counted in (`sla.business_hours`): off, or a time
/// zone and each weekday's opening hours.
fn hours_editor(
    s: &'static ConsoleStrings,
    locale: Locale,
    config: Cell<Option<SiteConfig>>,
    reshape: impl Fn(Change) + Copy + 'static,
    hours: Option<BusinessHours>,
) -> impl IntoView {
    let on = hours.is_some();
    let toggle = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        // The browser's own offset is the likeliest one for a new schedule.
        let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
        reshape(Box::new(move |c| {
            c.sla.business_hours = wanted.then(|| BusinessHours {
                utc_offset_minutes: offset,
                days: (1..=5).map(|day| OpenHours { day, from: "09:00".into(), to: "18:00".into() }).collect(),
            });
        }));
    };
    let edit = move |f: Box<dyn FnOnce(&mut BusinessHours)>| {
        config.update(|c| {
            if let Some(h) = c.as_mut().and_then(|c| c.sla.business_hours.as_mut()) {
                f(h)
            }
        })
    };
    let days = hours.clone().map(|h| {
        (1..=7u8)
            .map(|day| {
                let open = h.days.iter().find(|d| d.day == day).cloned();
                let (from, to) = open.as_ref().map_or(("09:00".to_owned(), "18:00".to_owned()), |o| (o.from.clone(), o.to.clone()));
                let is_open = open.is_some();
                let set_open = move |ev: leptos::ev::Event| {
                    let wanted = event_target_checked(&ev);
                    reshape(Box::new(move |c| {
                        if let Some(h) = c.sla.business_hours.as_mut() {
                            h.days.retain(|d| d.day != day);
                            if wanted {
                                h.days.push(OpenHours { day, from: "09:00".into(), to: "18:00".into() });
                                h.days.sort_by_key(|d| d.day);
                            }
                        }
                    }));
                };
                let set_time = move |end: bool, ev: leptos::ev::Event| {
                    let value = event_target_value(&ev);
                    edit(Box::new(move |h| {
                        if let Some(d) = h.days.iter_mut().find(|d| d.day == day) {
                            if end { d.to = value } else { d.from = value }
                        }
                    }));
                };
                view! {
                    <div class="day">
                        <label class="check">
                            <input type="checkbox" prop:checked=is_open on:change=set_open/>
                            {format!("{} — {}", weekday(locale, day), s.open_day)}
                        </label>
                        <label class="visually-hidden" for=format!("day-{day}-from")>{format!("{} {}", weekday(locale, day), s.range_from)}</label>
                        <input id=format!("day-{day}-from") type="time" value=from disabled=!is_open on:input=move |ev| set_time(false, ev)/>
                        <label class="visually-hidden" for=format!("day-{day}-to")>{format!("{} {}", weekday(locale, day), s.range_to)}</label>
                        <input id=format!("day-{day}-to") type="time" value=to disabled=!is_open on:input=move |ev| set_time(true, ev)/>
                    </div>
                }
            })
            .collect_view()
    });
    let offset = hours.map(|h| h.utc_offset_minutes);
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=on on:change=toggle/>
            {s.business_hours}
        </label>
        {offset.map(|minutes| view! {
            <label for="utc-offset">{s.utc_offset}</label>
            <input id="utc-offset" type="number" min="-720" max="840" value=minutes.to_string() on:input=move |ev| {
                if let Ok(v) = event_target_value(&ev).parse::<i32>() {
                    edit(Box::new(move |h| h.utc_offset_minutes = v));
                }
            }/>
        })}
        <div class="week">{days}</div>
    }
}

#[component]
pub fn Settings() -> impl IntoView {
    let session = expect_context::<Session>();
    let s = console_strings(session.locale);
    let config = Cell::new(None::<SiteConfig>);
    // The form is drawn anew only when this changes (loaded, saved, a rule added or removed),
    // not on every keystroke, which would take the focus from the field being typed in.
    let shape = Cell::new(0u32);
    let json = Cell::new(String::new());
    let notice = Cell::new(None::<String>);
    let copied = Cell::new(false);
    let load = move || {
        spawn_local(async move {
            match api::config(&session.token(), &session.site()).await {
                Ok(c) => {
                    json.set(serde_json::to_string_pretty(&c).unwrap_or_default());
                    config.set(Some(c));
                    shape.update(|n| *n += 1);
                }
                Err(Failure::SignedOut) => session.signed_out.set(true),
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        })
    };
    load();
    let save = move |wanted: SiteConfig| {
        spawn_local(async move {
            match api::save_config(&session.token(), &session.site(), &wanted).await {
                Ok(saved) => {
                    json.set(serde_json::to_string_pretty(&saved).unwrap_or_default());
                    config.set(Some(saved));
                    shape.update(|n| *n += 1);
                    notice.set(Some(s.saved.to_owned()));
                }
                Err(failure) => notice.set(Some(failure_text(s, failure))),
            }
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(c) = config.get_untracked() {
            save(c);
        }
    };
    let submit_json = move |ev: SubmitEvent| {
        ev.prevent_default();
        match serde_json::from_str::<SiteConfig>(&json.get_untracked()) {
            Ok(c) => save(c),
            Err(e) => notice.set(Some(format!("{} {e}", s.invalid_json))),
        }
    };
    // The launcher's look travels in the snippet's attributes (it draws before any request).
    let snippet = Derived::new(move || {
        let (theme, label) =
            config.with(|c| c.as_ref().map(|c| (c.theme.clone(), c.launcher_label.clone()))).unwrap_or_default();
        theme.snippet(&origin(), &session.site(), &label)
    });
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&snippet.get_untracked());
            copied.set(true);
        }
    };
    let locale = session.locale;
    let number = move |label: &'static str,
                       priority: Priority,
                       id: &'static str,
                       get: fn(&SiteConfig) -> u32,
                       set: fn(&mut SiteConfig, u32)| {
        view! {
            <label for=id>{format!("{label}: {}", priority_name(locale, priority))}</label>
            <input id=id type="number" min="1" prop:value=move || config.with(|c| c.as_ref().map(get)).unwrap_or_default().to_string()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse() {
                        config.update(|c| if let Some(c) = c { set(c, v) });
                    }
                }/>
        }
    };
    let reshape = move |f: Change| {
        config.update(|c| {
            if let Some(c) = c {
                f(c)
            }
        });
        shape.update(|n| *n += 1);
    };
    let form = move || {
        shape.track();
        let Some(current) = config.get_untracked() else {
            return view! { <p class="status" role="status">{s.loading}</p> }.into_any();
        };
        let locales = current.locales.clone();
        let categories: Vec<String> = current.form.categories.iter().map(|c| c.id.clone()).collect();
        let rules = current.routing.clone().into_iter().enumerate().map(|(i, rule)| {
            let categories = categories.clone();
            let edit = move |f: Box<dyn Fn(&mut RoutingRule)>| config.update(|c| if let Some(r) = c.as_mut().and_then(|c| c.routing.get_mut(i)) { f(r) });
            let edit = StoredValue::new_local(edit);
            view! {
                <fieldset class="rule">
                    <legend>{format!("{} {}", s.routing, i + 1)}</legend>
                    <label for=format!("rule-{i}-category")>{s.category}</label>
                    <select id=format!("rule-{i}-category") on:change=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(Box::new(move |r| r.category = Some(v.clone()).filter(|v| !v.is_empty()))));
                    }>
                        <option value="" selected=rule.category.is_none()>{s.any}</option>
                        {categories.into_iter().map(|c| view! { <option value=c.clone() selected=rule.category.as_deref() == Some(c.as_str())>{c.clone()}</option> }).collect_view()}
                    </select>
                    <label for=format!("rule-{i}-lead")>{s.sales_lead}</label>
                    <select id=format!("rule-{i}-lead") on:change=move |ev| {
                        let v = match event_target_value(&ev).as_str() { "yes" => Some(true), "no" => Some(false), _ => None };
                        edit.with_value(|e| e(Box::new(move |r| r.sales_lead = v)));
                    }>
                        <option value="" selected=rule.sales_lead.is_none()>{s.any}</option>
                        <option value="yes" selected=rule.sales_lead == Some(true)>{s.yes}</option>
                        <option value="no" selected=rule.sales_lead == Some(false)>{s.no}</option>
                    </select>
                    <label for=format!("rule-{i}-assign")>{s.assignee}</label>
                    <input id=format!("rule-{i}-assign") value=rule.assign.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(Box::new(move |r| r.assign = v.clone())));
                    }/>
                    <button class="link" type="button" on:click=move |_| reshape(Box::new(move |c| { c.routing.remove(i); }))>{s.remove}</button>
                </fieldset>
            }
        }).collect_view();
        let replies = current.saved_replies.clone().into_iter().enumerate().map(|(i, reply)| {
            let edit = move |f: Box<dyn Fn(&mut SavedReply)>| config.update(|c| if let Some(r) = c.as_mut().and_then(|c| c.saved_replies.get_mut(i)) { f(r) });
            let edit = StoredValue::new_local(edit);
            view! {
                <fieldset class="rule">
                    <legend>{format!("{} {}", s.saved_replies, i + 1)}</legend>
                    <label for=format!("reply-{i}-title")>{s.reply_title}</label>
                    <input id=format!("reply-{i}-title") value=reply.title.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(Box::new(move |r| r.title = v.clone())));
                    }/>
                    <label for=format!("reply-{i}-body")>{s.reply_body}</label>
                    <textarea id=format!("reply-{i}-body") rows="3" prop:value=reply.body.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit.with_value(|e| e(Box::new(move |r| r.body = v.clone())));
                    }></textarea>
                    <button class="link" type="button" on:click=move |_| reshape(Box::new(move |c| { c.saved_replies.remove(i); }))>{s.remove}</button>
                </fieldset>
            }
        }).collect_view();
        view! {
            <form class="panel settings-form" novalidate on:submit=submit>
                <h2>{s.allowed_origins}</h2>
                <label for="origins" class="visually-hidden">{s.allowed_origins}</label>
                <textarea id="origins" rows="3" aria-describedby="origins-hint" prop:value=current.allowed_origins.join("\n")
                    on:input=move |ev| {
                        let lines: Vec<String> = event_target_value(&ev).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
                        config.update(|c| if let Some(c) = c { c.allowed_origins = lines });
                    }></textarea>
                <p id="origins-hint" class="hint">{s.origins_hint}</p>
                <h2>{s.service_level}</h2>
                <div class="sla-grid">
                    {number(s.first_response_minutes, Priority::Urgent, "sla-urgent", |c| c.sla.urgent, |c, v| c.sla.urgent = v)}
                    {number(s.first_response_minutes, Priority::High, "sla-high", |c| c.sla.high, |c, v| c.sla.high = v)}
                    {number(s.first_response_minutes, Priority::Normal, "sla-normal", |c| c.sla.normal, |c, v| c.sla.normal = v)}
                    {number(s.first_response_minutes, Priority::Low, "sla-low", |c| c.sla.low, |c, v| c.sla.low = v)}
                    {number(s.resolution_minutes, Priority::Urgent, "res-urgent", |c| c.sla.resolution.urgent, |c, v| c.sla.resolution.urgent = v)}
                    {number(s.resolution_minutes, Priority::High, "res-high", |c| c.sla.resolution.high, |c, v| c.sla.resolution.high = v)}
                    {number(s.resolution_minutes, Priority::Normal, "res-normal", |c| c.sla.resolution.normal, |c, v| c.sla.resolution.normal = v)}
                    {number(s.resolution_minutes, Priority::Low, "res-low", |c| c.sla.resolution.low, |c, v| c.sla.resolution.low = v)}
                </div>
                {hours_editor(s, locale, config, reshape, current.sla.business_hours.clone())}
                <h2>{s.auto_reply}</h2>
                <label class="check">
                    <input type="checkbox" prop:checked=current.auto_reply.acknowledge
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            config.update(|c| if let Some(c) = c { c.auto_reply.acknowledge = on });
                        }/>
                    {s.acknowledge}
                </label>
                <p class="hint">{s.placeholders_hint}</p>
                {localized_inputs("ack".into(), s.acknowledgement_text, true, &locales, &current.auto_reply.acknowledgement, config,
                    |c| Some(&mut c.auto_reply.acknowledgement))}
                {localized_inputs("offer".into(), s.lead_offer, true, &locales, &current.auto_reply.lead_offer, config,
                    |c| Some(&mut c.auto_reply.lead_offer))}
                {form_editor(s, locale, &locales, config, reshape, &current.form)}
                <h2>{s.routing}</h2>
                {rules}
                <button class="secondary" type="button" on:click=move |_| reshape(Box::new(|c| c.routing.push(RoutingRule::default())))>{s.add_rule}</button>
                <h2>{s.saved_replies}</h2>
                {replies}
                <button class="secondary" type="button" on:click=move |_| reshape(Box::new(|c| c.saved_replies.push(SavedReply::default())))>{s.add_reply}</button>
                <div><button class="primary" type="submit">{s.save}</button></div>
            </form>
        }
        .into_any()
    };
    view! {
        <main class="settings">
            <h1>{s.settings}</h1>
            <section class="panel">
                <h2>{s.embed_snippet}</h2>
                <p class="hint">{s.embed_hint}</p>
                <pre class="snippet"><code>{move || snippet.get()}</code></pre>
                <button class="secondary" type="button" on:click=copy>{move || if copied.get() { s.copied } else { s.copy }}</button>
            </section>
            <Agents/>
            <Channels/>
            <p class="notice" role="alert">{move || notice.get()}</p>
            {form}
            <details class="panel">
                <summary>{s.advanced}</summary>
                <form on:submit=submit_json>
                    <label for="config-json" class="visually-hidden">{s.advanced}</label>
                    <textarea id="config-json" class="json" rows="24" spellcheck="false" prop:value=move || json.get()
                        on:input=move |ev| json.set(event_target_value(&ev))></textarea>
                    <button class="primary" type="submit">{s.save_json}</button>
                </form>
            </details>
        </main>
    }
}
