//! The contact form: the site's categories and their fields, inline validation with the same
//! rules the worker enforces, a draft kept while the customer types, and a send whose
//! `Idempotency-Key` survives retries (see `outbox`).

use std::collections::BTreeMap;

use gloo_timers::future::TimeoutFuture;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tabdesk_core::config::{localized, FormSchema};
use tabdesk_core::form::check_category;
use tabdesk_core::i18n::strings;
use tabdesk_core::kb::is_blank;
use tabdesk_core::locale::Locale;
use tabdesk_core::validate::{validate_ticket, TicketField};
use tabdesk_core::wire::{FieldError, NewTicket, PageContext, SearchHit, WidgetEvent, WidgetEventKind};
use wasm_bindgen::JsCast;

use crate::api;
use crate::fields::{error_of, field_id, set_error, CustomField};
use crate::outbox::{self, Outbox};

/// Wait after the customer stops typing before suggesting articles.
const SUGGEST_DEBOUNCE_MS: u32 = 400;
const SUGGEST_QUERY_CHARS: usize = 150;
const SUGGESTIONS: usize = 3;

/// What the customer typed so far, kept across closing the panel and reloading the page.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    base: [String; 4],
    category: String,
    fields: BTreeMap<String, Value>,
}

impl Draft {
    fn from_ticket(t: &NewTicket) -> Draft {
        Draft {
            base: TicketField::ALL.map(|f| f.value(t).to_owned()),
            category: t.category.clone().unwrap_or_default(),
            fields: t.fields.clone(),
        }
    }
}

/// Moves focus to the first field with an error, so keyboard and screen-reader users land on
/// it. Returns the message of an error that no field shows (say, "too fast"), if any.
fn focus_first(errors: &[FieldError]) -> Option<String> {
    let document = web_sys::window().and_then(|w| w.document())?;
    let target = errors
        .iter()
        .filter_map(|e| document.get_element_by_id(&field_id(&e.field)))
        .find_map(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = target {
        let _ = el.focus();
    }
    errors.iter().find(|e| document.get_element_by_id(&field_id(&e.field)).is_none()).map(|e| e.message.clone())
}

/// A key made in the browser before the first attempt of a request.
fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{}", js_sys::Date::now() as u64))
}

#[component]
fn BaseField(
    field: TicketField,
    locale: Locale,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let s = strings(locale);
    let id = field_id(field.key());
    let error_id = format!("{id}-error");
    let (label, kind, autocomplete) = match field {
        TicketField::Subject => (s.subject, "text", "off"),
        TicketField::Message => (s.message, "textarea", "off"),
        TicketField::Email => (s.email, "email", "email"),
        TicketField::Name => (s.name, "text", "name"),
    };
    let error = move || error_of(errors, field.key());
    // Blur shows a field's problem; typing only clears one, never nags mid-word.
    let check = move || set_error(errors, field.key(), field.check(&value.get_untracked(), locale));
    let on_input = move |text: String| {
        value.set(text);
        if error().is_some() {
            check();
        }
    };
    let invalid = move || error().is_some().to_string();
    let control = if kind == "textarea" {
        view! {
            <textarea id=id.clone() rows="5" required=field.required() aria-invalid=invalid
                aria-describedby=error_id.clone() prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev)) on:blur=move |_| check()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind autocomplete=autocomplete required=field.required()
                aria-invalid=invalid aria-describedby=error_id.clone() prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev)) on:blur=move |_| check()/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>
                {label}
                {(!field.required()).then(|| view! { <span class="hint">{format!(" ({})", s.optional)}</span> })}
            </label>
            {control}
            <p class="error" id=error_id>{error}</p>
        </div>
    }
}

#[component]
pub fn Contact(
    site: String,
    locale: Locale,
    form: FormSchema,
    context: RwSignal<PageContext>,
    outbox: Outbox,
    restored: RwSignal<bool>,
    viewed: RwSignal<Vec<String>>,
    on_open: Callback<String>,
) -> impl IntoView {
    let s = strings(locale);
    {
        let site = site.clone();
        spawn_local(async move {
            let event = WidgetEvent { kind: WidgetEventKind::FormOpened, article_id: None, query: None, results: None };
            api::event(&site, event).await;
        });
    }
    let draft_key = format!("tabdesk:{site}:draft");
    // A request the server refused while queued comes back here with its errors.
    let refused = outbox.refused.get_untracked();
    outbox.refused.set(None);
    let start = refused
        .as_ref()
        .map(|(t, _)| Draft::from_ticket(t))
        .or_else(|| outbox::load::<Draft>(&draft_key))
        .unwrap_or_default();
    let base = start.base.clone().map(RwSignal::new);
    let category = RwSignal::new(start.category.clone());
    let fields = RwSignal::new(start.fields.clone());
    let errors = RwSignal::new(refused.map(|(_, e)| e).unwrap_or_default());
    let notice = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let honeypot = RwSignal::new(String::new());
    let opened_at = js_sys::Date::now();
    // The key and the request it was made for: a retry of the same request reuses the key,
    // an edited request gets a new one.
    let attempt = StoredValue::new(None::<(String, NewTicket)>);
    let form = StoredValue::new(form);
    let draft_key = StoredValue::new(draft_key);

    // A draft relayed by the host page may arrive after the form opened: take it if the
    // customer has not started typing here.
    Effect::new(move |_| {
        if restored.get() {
            let untouched = base.iter().all(|v| v.with_untracked(String::is_empty));
            if let (true, Some(draft)) = (untouched, outbox::load::<Draft>(&draft_key.get_value())) {
                for (signal, value) in base.iter().zip(draft.base) {
                    signal.set(value);
                }
                category.set(draft.category);
                fields.set(draft.fields);
            }
        }
    });

    // Save the draft on every change, but only once the customer has typed something.
    Effect::new(move |_| {
        let draft = Draft { base: base.map(|v| v.get()), category: category.get(), fields: fields.get() };
        if draft != Draft::default() {
            outbox::save(&draft_key.get_value(), &draft);
        }
    });

    // Articles that may answer what the customer is writing, refreshed as they type.
    let suggestions = RwSignal::new(Vec::<SearchHit>::new());
    let latest = StoredValue::new(0u32);
    let suggest_site = StoredValue::new(site.clone());
    Effect::new(move |_| {
        let text = format!("{} {}", base[0].get(), base[1].get());
        let query: String = text.chars().take(SUGGEST_QUERY_CHARS).collect();
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        if is_blank(&query) {
            suggestions.set(Vec::new());
            return;
        }
        spawn_local(async move {
            TimeoutFuture::new(SUGGEST_DEBOUNCE_MS).await;
            if latest.get_value() != ticket {
                return;
            }
            let found = api::search(&suggest_site.get_value(), &format!("{query} "), locale.tag(), SUGGESTIONS).await;
            if latest.get_value() == ticket {
                suggestions.set(found.map(|r| r.hits).unwrap_or_default());
            }
        });
    });

    let chosen = move || form.with_value(|f| check_category(f, Some(&category.get()), locale).ok().flatten().cloned());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let value = |f: TicketField| base[f as usize].get_untracked().trim().to_owned();
        let name = value(TicketField::Name);
        let picked = category.get_untracked();
        let mut page = context.get_untracked();
        page.locale = Some(locale);
        if page.user_agent.is_none() {
            page.user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok());
        }
        let ticket = NewTicket {
            subject: value(TicketField::Subject),
            message: value(TicketField::Message),
            email: value(TicketField::Email),
            name: (!name.is_empty()).then_some(name),
            category: (!picked.is_empty()).then_some(picked),
            fields: chosen().map(|_| fields.get_untracked()).unwrap_or_default(),
            context: page,
            hp: honeypot.get_untracked(),
            viewed_articles: viewed.get_untracked(),
            fill_ms: Some((js_sys::Date::now() - opened_at).max(0.0) as u64),
            ..NewTicket::default()
        };
        let problems = form.with_value(|f| validate_ticket(&ticket, f, locale));
        if !problems.is_empty() {
            let unshown = focus_first(&problems);
            errors.set(problems);
            notice.set(Some(unshown.unwrap_or_else(|| s.fix_errors.to_owned())));
            return;
        }
        // Timing and anti-bot token do not make a request different.
        let identity = NewTicket { fill_ms: None, ..ticket.clone() };
        let key = match attempt.get_value() {
            Some((key, previous)) if previous == identity => key,
            _ => new_key(),
        };
        attempt.set_value(Some((key.clone(), identity)));
        sending.set(true);
        notice.set(None);
        spawn_local(async move {
            let result = outbox.send(key, ticket).await;
            sending.set(false);
            match result {
                Ok(()) => outbox::remove(&draft_key.get_value()),
                Err(problems) => {
                    let unshown = focus_first(&problems);
                    errors.set(problems);
                    notice.set(Some(unshown.unwrap_or_else(|| s.fix_errors.to_owned())));
                }
            }
        });
    };

    let categories = form.with_value(|f| f.categories.clone());
    let category_required = form.with_value(|f| f.category_required);
    view! {
        <form class="contact-form" novalidate on:submit=submit>
            <h2 class="title">{s.contact_title}</h2>
            {(!categories.is_empty()).then(|| view! {
                <div class="field">
                    <label for="td-category">
                        {s.category}
                        {(!category_required).then(|| view! { <span class="hint">{format!(" ({})", s.optional)}</span> })}
                    </label>
                    <select id="td-category" required=category_required
                        aria-invalid=move || error_of(errors, "category").is_some().to_string()
                        aria-describedby="td-category-error" prop:value=move || category.get()
                        on:change=move |ev| {
                            category.set(event_target_value(&ev));
                            errors.update(|all| all.retain(|e| e.field != "category" && !e.field.starts_with("fields.")));
                        }>
                        <option value="">{s.choose}</option>
                        {categories.iter().map(|c| view! {
                            <option value=c.id.clone()>{localized(&c.label, locale).to_owned()}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" id="td-category-error">{move || error_of(errors, "category")}</p>
                </div>
            })}
            {TicketField::ALL
                .into_iter()
                .take(2)
                .map(|f| view! { <BaseField field=f locale=locale value=base[f as usize] errors=errors/> })
                .collect_view()}
            <Show when=move || suggestions.with(|s| !s.is_empty())>
                <section class="suggestions" aria-live="polite">
                    <h3>{s.suggestions}</h3>
                    <ul>
                        <For each=move || suggestions.get() key=|hit| hit.id.clone() children=move |hit| {
                            let id = hit.id.clone();
                            view! {
                                <li><button class="link" type="button" on:click=move |_| on_open.run(id.clone())>{hit.title}</button></li>
                            }
                        }/>
                    </ul>
                </section>
            </Show>
            {move || chosen().map(|c| c.fields.into_iter().map(|def| view! {
                <CustomField def=def locale=locale values=fields errors=errors/>
            }).collect_view())}
            {TicketField::ALL
                .into_iter()
                .skip(2)
                .map(|f| view! { <BaseField field=f locale=locale value=base[f as usize] errors=errors/> })
                .collect_view()}
            // People never see this field; bots that fill every input do.
            <div class="hp" aria-hidden="true">
                <label for="td-hp">"Website"</label>
                <input id="td-hp" type="text" tabindex="-1" autocomplete="off" prop:value=move || honeypot.get()
                    on:input=move |ev| honeypot.set(event_target_value(&ev))/>
            </div>
            <p class="notice" role="alert">{move || notice.get()}</p>
            <button class="primary" type="submit" disabled=move || sending.get()>
                {move || if sending.get() { s.sending } else { s.send }}
            </button>
        </form>
    }
}
