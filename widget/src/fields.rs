//! The extra fields a category asks for, rendered from the site's form schema.

use tabdesk_core::domain::SmallMap;
use tabdesk_core::json::Json;

use leptos::prelude::*;
use tabdesk_core::config::{localized, FieldDef, FieldKind};
use tabdesk_core::domain::{FieldError, Locale};
use tabdesk_core::form::{check_field, is_visible};
use tabdesk_core::i18n::form_strings;
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::{fresh, shown, Fresh};

use crate::visit::visit;

pub fn field_id(key: &str) -> String {
    format!("td-{}", key.replace('.', "-"))
}

/// The message of the error for `key`, if there is one.
pub fn error_of(errors: Cell<Vec<FieldError>>, key: &str) -> Option<String> {
    errors.with(|all| all.iter().find(|e| e.field == key).map(|e| e.message.clone()))
}

/// Replaces the error of `key` by `found`.
pub fn set_error(errors: Cell<Vec<FieldError>>, key: &str, found: Option<FieldError>) {
    errors.update(|all| {
        all.retain(|e| e.field != key);
        all.extend(found);
    });
}

/// One custom field, shown while its condition holds; its value lives in `values` under its
/// id, its error in `errors`.
#[component]
pub fn CustomField(
    def: FieldDef,
    values: Cell<SmallMap<String, Json>>,
    errors: Cell<Vec<FieldError>>,
) -> impl IntoView {
    let locale = visit().locale;
    let def = Kept::new(def);
    let visible = move || def.with_value(|d| values.with(|v| is_visible(d, v)));
    shown(visible, move || move || render(def, locale, values, errors))
}

fn render(
    def: Kept<FieldDef>,
    locale: Locale,
    values: Cell<SmallMap<String, Json>>,
    errors: Cell<Vec<FieldError>>,
) -> Fresh {
    let s = form_strings(locale);
    let key = def.with_value(|d| format!("fields.{}", d.id));
    let id = field_id(&key);
    let error_id = format!("{id}-error");
    let label = def.with_value(|d| localized(&d.label, locale).to_owned());
    let field_key = Kept::new(key.clone());
    let value = move || values.with(|v| v.get(&def.with_value(|d| d.id.clone())).cloned());
    let text = move || value().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let check = move || {
        let found =
            def.with_value(|d| check_field(d, values.with_untracked(|v| v.get(&d.id).cloned()).as_ref(), locale));
        set_error(errors, &field_key.get_value(), found);
    };
    let set = move |v: Json| {
        def.with_value(|d| values.update(|all| _ = all.insert(d.id.clone(), v)));
        if error_of(errors, &field_key.get_value()).is_some() {
            check();
        }
    };
    let error = move || error_of(errors, &field_key.get_value());
    let invalid = move || error().is_some().to_string();
    let required = def.with_value(|d| d.required);
    let kind = def.with_value(|d| d.kind);

    let control = match kind {
        FieldKind::Textarea => fresh(view! {
            <textarea id=id.clone() rows="3" required=required aria-invalid=invalid aria-describedby=error_id.clone()
                prop:value=text on:input=move |ev| set(Json::String(event_target_value(&ev)))
                on:blur=move |_| check()></textarea>
        }),
        FieldKind::Select => {
            let options = def.with_value(|d| d.options.clone());
            fresh(view! {
                <select id=id.clone() required=required aria-invalid=invalid aria-describedby=error_id.clone()
                    prop:value=text on:change=move |ev| { set(Json::String(event_target_value(&ev))); check(); }>
                    <option value="">{s.choose}</option>
                    {options.into_iter().map(|o| view! {
                        <option value=o.value.clone()>{localized(&o.label, locale).to_owned()}</option>
                    }).collect_view()}
                </select>
            })
        }
        FieldKind::Multiselect => {
            let options = def.with_value(|d| d.options.clone());
            let chosen = move |v: &str| {
                value().is_some_and(|x| matches!(x, Json::Array(items) if items.iter().any(|i| i.as_str() == Some(v))))
            };
            fresh(view! {
                <div class="choices" role="group" aria-labelledby=format!("{id}-label") aria-describedby=error_id.clone()>
                    {options.into_iter().map(|o| {
                        let v = Kept::new(o.value.clone());
                        let toggle = move |on: bool| {
                            let mut list = match value() {
                                Some(Json::Array(items)) => items,
                                _ => Vec::new(),
                            };
                            list.retain(|x| x.as_str() != Some(v.get_value().as_str()));
                            if on {
                                list.push(Json::String(v.get_value()));
                            }
                            set(Json::Array(list));
                            check();
                        };
                        view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || chosen(&v.get_value())
                                    on:change=move |ev| toggle(event_target_checked(&ev))/>
                                {localized(&o.label, locale).to_owned()}
                            </label>
                        }
                    }).collect_view()}
                </div>
            })
        }
        FieldKind::Checkbox => fresh(view! {
            <input id=id.clone() type="checkbox" required=required aria-invalid=invalid aria-describedby=error_id.clone()
                prop:checked=move || value() == Some(Json::Bool(true))
                on:change=move |ev| { set(Json::Bool(event_target_checked(&ev))); check(); }/>
        }),
        _ => {
            let (input_type, mode) = match kind {
                FieldKind::Email => ("email", "email"),
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::Url => ("url", "url"),
                FieldKind::Date => ("date", "text"),
                FieldKind::Number => ("text", "decimal"),
                _ => ("text", "text"),
            };
            fresh(view! {
                <input id=id.clone() type=input_type inputmode=mode required=required aria-invalid=invalid
                    aria-describedby=error_id.clone() prop:value=text
                    on:input=move |ev| set(Json::String(event_target_value(&ev))) on:blur=move |_| check()/>
            })
        }
    };
    let checkbox = kind == FieldKind::Checkbox;
    fresh(view! {
        <div class=if checkbox { "field check" } else { "field" }>
            <label id=format!("{id}-label") for=id>
                {label}
                {(!required).then(|| view! { <span class="hint">{format!(" ({})", s.optional)}</span> })}
            </label>
            {control}
            <p class="error" id=error_id>{error}</p>
        </div>
    })
}
