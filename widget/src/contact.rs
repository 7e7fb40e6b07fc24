//! The contact form: inline validation (the same rules the worker enforces), and a send that
//! keeps its `Idempotency-Key` across retries of the same request.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::i18n::strings;
use tabdesk_core::locale::Locale;
use tabdesk_core::validate::{validate_ticket, TicketField};
use tabdesk_core::wire::{FieldError, NewTicket, PageContext};
use wasm_bindgen::JsCast;

use crate::api::{self, SendError};

fn input_id(field: TicketField) -> String {
    format!("td-{}", field.key())
}

/// Moves focus to the first field with an error, so keyboard and screen-reader users land on it.
fn focus_first(errors: &[FieldError]) {
    let document = web_sys::window().and_then(|w| w.document());
    let target = TicketField::ALL.into_iter().find(|f| errors.iter().any(|e| e.field == f.key()));
    if let (Some(document), Some(field)) = (document, target) {
        if let Some(el) =
            document.get_element_by_id(&input_id(field)).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}

/// A key made in the browser before the first attempt of a request.
fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{}", js_sys::Date::now()))
}

#[component]
fn Field(
    field: TicketField,
    locale: Locale,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let s = strings(locale);
    let id = input_id(field);
    let error_id = format!("{id}-error");
    let (label, kind, autocomplete) = match field {
        TicketField::Subject => (s.subject, "text", "off"),
        TicketField::Message => (s.message, "textarea", "off"),
        TicketField::Email => (s.email, "email", "email"),
        TicketField::Name => (s.name, "text", "name"),
    };
    let error = move || errors.with(|all| all.iter().find(|e| e.field == field.key()).map(|e| e.message.clone()));
    // Blur shows a field's problem; typing only clears one, never nags mid-word.
    let check = move || {
        let found = field.check(&value.get_untracked(), locale);
        errors.update(|all| {
            all.retain(|e| e.field != field.key());
            all.extend(found);
        });
    };
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
    context: RwSignal<PageContext>,
    on_sent: Callback<(String, String)>,
) -> impl IntoView {
    let s = strings(locale);
    let values = TicketField::ALL.map(|_| RwSignal::new(String::new()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<&'static str>);
    let sending = RwSignal::new(false);
    // The key and the request it was made for: a retry of the same request reuses the key,
    // an edited request gets a new one.
    let attempt = StoredValue::new(None::<(String, NewTicket)>);
    let site = StoredValue::new(site);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let value = |f: TicketField| values[f as usize].get_untracked().trim().to_owned();
        let name = value(TicketField::Name);
        let mut page = context.get_untracked();
        page.locale = Some(locale);
        let ticket = NewTicket {
            subject: value(TicketField::Subject),
            message: value(TicketField::Message),
            email: value(TicketField::Email),
            name: (!name.is_empty()).then_some(name),
            context: page,
            ..NewTicket::default()
        };
        let problems = validate_ticket(&ticket, locale);
        if !problems.is_empty() {
            focus_first(&problems);
            errors.set(problems);
            notice.set(Some(s.fix_errors));
            return;
        }
        let key = match attempt.get_value() {
            Some((key, previous)) if previous == ticket => key,
            _ => new_key(),
        };
        attempt.set_value(Some((key.clone(), ticket.clone())));
        sending.set(true);
        notice.set(None);
        spawn_local(async move {
            let result = api::create_ticket(&site.get_value(), &ticket, &key).await;
            sending.set(false);
            match result {
                Ok(created) => on_sent.run((created.number, ticket.email)),
                Err(SendError::Invalid(problems)) => {
                    focus_first(&problems);
                    errors.set(problems);
                    notice.set(Some(s.fix_errors));
                }
                Err(SendError::Failed) => notice.set(Some(s.send_failed)),
            }
        });
    };

    view! {
        <form class="contact-form" novalidate on:submit=submit>
            <h2 class="title">{s.contact_title}</h2>
            {TicketField::ALL
                .into_iter()
                .map(|f| view! { <Field field=f locale=locale value=values[f as usize] errors=errors/> })
                .collect_view()}
            <p class="notice" role="alert">{move || notice.get()}</p>
            <button class="primary" type="submit" disabled=move || sending.get()>
                {move || if sending.get() { s.sending } else { s.send }}
            </button>
        </form>
    }
}
