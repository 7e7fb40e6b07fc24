//! The four fields every request has: subject, message, email and name.

use leptos::prelude::*;
use tabdesk_core::domain::FieldError;
use tabdesk_core::i18n::form_strings;
use tabdesk_core::validate::TicketField;
use tabdesk_ui::cell::Cell;
use tabdesk_ui::Fresh;

use crate::fields::{control, error_of, field_frame, field_id, set_error};
use crate::visit::visit;

/// `optional` lets a field the form requires be left empty: the email of a customer someone vouched
/// for (the site's token without one), whose replies reach them in the tab.
pub fn base_field(field: TicketField, value: Cell<String>, errors: Cell<Vec<FieldError>>, optional: bool) -> Fresh {
    let locale = visit().locale;
    let s = form_strings(locale);
    let id = field_id(field.key());
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
    let invalid = move || error().is_some();
    let control = match kind {
        "textarea" => control("textarea", &id, required, invalid).attr("rows", "5"),
        _ => control("input", &id, required, invalid).attr("type", kind).attr("autocomplete", autocomplete),
    }
    .prop_with("value", move || value.get().into())
    .on("input", move |ev| {
        value.set(event_target_value(&ev));
        if error().is_some() {
            check();
        }
    })
    .on("blur", move |_| check());
    Fresh::from(field_frame("field", &id, label, required, control, error))
}
