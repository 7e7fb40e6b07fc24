//! The four fields every request has: subject, message, email and name.

use leptos::prelude::*;
use tabdesk_core::domain::FieldError;
use tabdesk_core::i18n::form_strings;
use tabdesk_core::validate::TicketField;
use tabdesk_ui::cell::Cell;
use tabdesk_ui::fresh;

use crate::fields::{error_of, field_id, set_error};
use crate::visit::visit;

/// `optional` lets a field the form requires be left empty: the email of a customer someone vouched
/// for (the site's token without one), whose replies reach them in the tab.
#[component]
pub fn BaseField(
    field: TicketField,
    value: Cell<String>,
    errors: Cell<Vec<FieldError>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let locale = visit().locale;
    let s = form_strings(locale);
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
    let required = field.required() && !optional;
    let check = move || {
        let text = value.get_untracked();
        let problem = if text.trim().is_empty() && !required { None } else { field.check(&text, locale) };
        set_error(errors, field.key(), problem)
    };
    let on_input = move |text: String| {
        value.set(text);
        if error().is_some() {
            check();
        }
    };
    let invalid = move || error().is_some().to_string();
    let control = if kind == "textarea" {
        fresh(view! {
            <textarea id=id.clone() rows="5" required=required aria-invalid=invalid
                aria-describedby=error_id.clone() prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev)) on:blur=move |_| check()></textarea>
        })
    } else {
        fresh(view! {
            <input id=id.clone() type=kind autocomplete=autocomplete required=required
                aria-invalid=invalid aria-describedby=error_id.clone() prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev)) on:blur=move |_| check()/>
        })
    };
    view! {
        <div class="field">
            <label for=id>
                {label}
                {(!required).then(|| view! { <span class="hint">{format!(" ({})", s.optional)}</span> })}
            </label>
            {control}
            <p class="error" id=error_id>{error}</p>
        </div>
    }
}
