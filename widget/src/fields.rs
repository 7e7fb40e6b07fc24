//! The extra fields a category asks for, rendered from the site's form schema.

use tabdesk_core::domain::SmallMap;
use tabdesk_core::json::Json;

use leptos::prelude::*;
use tabdesk_core::config::{localized, FieldDef, FieldKind};
use tabdesk_core::domain::{FieldError, Locale};
use tabdesk_core::form::{check_field, is_visible};
use tabdesk_core::i18n::form_strings;
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::{el, live, shown, El, Fresh};

use wasm_bindgen::JsValue;

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
pub fn custom_field(def: FieldDef, values: Cell<SmallMap<String, Json>>, errors: Cell<Vec<FieldError>>) -> Fresh {
    let locale = visit().locale;
    let def = Kept::new(def);
    let visible = move || def.with_value(|d| values.with(|v| is_visible(d, v)));
    live(shown(visible, move || untrack(|| render(def, locale, values, errors))))
}

/// One custom field's handles, `Copy` for the closures of its control. Its reads and writes are
/// methods compiled once (`inline(never)`), so that each of the control's handlers is a call,
/// not a copy of them.
#[derive(Clone, Copy)]
struct Custom {
    def: Kept<FieldDef>,
    /// `fields.{id}`, as errors name the field.
    key: Kept<String>,
    locale: Locale,
    values: Cell<SmallMap<String, Json>>,
    errors: Cell<Vec<FieldError>>,
}

impl Custom {
    /// The field's value (tracked).
    #[inline(never)]
    fn value(self) -> Option<Json> {
        self.values.with(|v| self.def.with_value(|d| v.get(&d.id).cloned()))
    }

    /// The field's value as text (tracked), empty when it is not a string.
    fn text(self) -> JsValue {
        self.value().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default().into()
    }

    /// Checks the value as the worker will, and shows or clears its error.
    #[inline(never)]
    fn check(self) {
        let found = self.def.with_value(|d| {
            check_field(d, self.values.with_untracked(|v| v.get(&d.id).cloned()).as_ref(), self.locale)
        });
        set_error(self.errors, &self.key.get_value(), found);
    }

    /// Keeps `value`; checks it at once when `now` (a choice made), else only if the field shows
    /// an error (which typing may clear).
    #[inline(never)]
    fn set(self, value: Json, now: bool) {
        self.def.with_value(|d| self.values.update(|all| _ = all.insert(d.id.clone(), value)));
        if now || self.error().is_some() {
            self.check();
        }
    }

    fn error(self) -> Option<String> {
        error_of(self.errors, &self.key.get_value())
    }
}

fn render(
    def: Kept<FieldDef>,
    locale: Locale,
    values: Cell<SmallMap<String, Json>>,
    errors: Cell<Vec<FieldError>>,
) -> Fresh {
    let key = def.with_value(|d| format!("fields.{}", d.id));
    let id = field_id(&key);
    let label = def.with_value(|d| localized(&d.label, locale).to_owned());
    let f = Custom { def, key: Kept::new(key), locale, values, errors };
    let invalid = move || f.error().is_some();
    let required = def.with_value(|d| d.required);
    let kind = def.with_value(|d| d.kind);
    let input = |kind: &str| control("input", &id, required, invalid).attr("type", kind);
    let typed = move |ev: web_sys::Event| f.set(Json::String(event_target_value(&ev)), false);

    let control = match kind {
        FieldKind::Textarea => control("textarea", &id, required, invalid)
            .attr("rows", "3")
            .prop_with("value", move || f.text())
            .on("input", typed)
            .on("blur", move |_| f.check()),
        FieldKind::Select => {
            let options = def.with_value(|d| d.options.clone());
            let options = options.iter().map(|o| (o.value.as_str(), localized(&o.label, locale)));
            select(&id, required, invalid, options, move || f.text())
                .on("change", move |ev| f.set(Json::String(event_target_value(&ev)), true))
        }
        FieldKind::Multiselect => {
            let options = def.with_value(|d| d.options.clone());
            let chosen = move |v: &str| {
                f.value()
                    .is_some_and(|x| matches!(x, Json::Array(items) if items.iter().any(|i| i.as_str() == Some(v))))
            };
            let group = el("div")
                .class("choices")
                .attr("role", "group")
                .attr("aria-labelledby", &format!("{id}-label"))
                .attr("aria-describedby", &format!("{id}-error"));
            options.into_iter().fold(group, |group, o| {
                let v = Kept::new(o.value.clone());
                let toggle = move |on: bool| {
                    let mut list = match f.value() {
                        Some(Json::Array(items)) => items,
                        _ => Vec::new(),
                    };
                    list.retain(|x| x.as_str() != Some(v.get_value().as_str()));
                    if on {
                        list.push(Json::String(v.get_value()));
                    }
                    f.set(Json::Array(list), true);
                };
                let checkbox = el("input")
                    .attr("type", "checkbox")
                    .prop_with("checked", move || chosen(&v.get_value()).into())
                    .on("change", move |ev| toggle(event_target_checked(&ev)));
                group.child(el("label").class("choice").child(checkbox).text(localized(&o.label, locale)))
            })
        }
        FieldKind::Checkbox => input("checkbox")
            .prop_with("checked", move || (f.value() == Some(Json::Bool(true))).into())
            .on("change", move |ev| f.set(Json::Bool(event_target_checked(&ev)), true)),
        _ => {
            let (input_type, mode) = match kind {
                FieldKind::Email => ("email", "email"),
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::Url => ("url", "url"),
                FieldKind::Date => ("date", "text"),
                FieldKind::Number => ("text", "decimal"),
                _ => ("text", "text"),
            };
            input(input_type)
                .attr("inputmode", mode)
                .prop_with("value", move || f.text())
                .on("input", typed)
                .on("blur", move |_| f.check())
        }
    };
    let class = if kind == FieldKind::Checkbox { "field check" } else { "field" };
    field_frame(class, &id, &label, required, control, move || f.error()).into()
}

/// A field's control (`tag`): its id, whether it is required, and its error's state and id.
pub fn control(tag: &str, id: &str, required: bool, invalid: impl Fn() -> bool + 'static) -> El {
    el(tag)
        .attr("id", id)
        .flag("required", required)
        .attr_with("aria-invalid", move || if invalid() { "true" } else { "false" })
        .attr("aria-describedby", &format!("{id}-error"))
}

/// A select (`id`) with a "choose" option of no value, then `options` (value, label); its value
/// set by `value`, after the options: a select takes only a value one of them has.
pub fn select<'a>(
    id: &str,
    required: bool,
    invalid: impl Fn() -> bool + 'static,
    options: impl Iterator<Item = (&'a str, &'a str)>,
    value: impl Fn() -> JsValue + 'static,
) -> El {
    let choose = el("option").attr("value", "").text(form_strings(visit().locale).choose);
    options
        .fold(control("select", id, required, invalid).child(choose), |select, (value, label)| {
            select.child(el("option").attr("value", value).text(label))
        })
        .prop_with("value", value)
}

/// A field as the form shows it: its label (with "optional" when it is not required), its
/// control, and the line that says its error.
pub fn field_frame(
    class: &str,
    id: &str,
    label: &str,
    required: bool,
    control: El,
    error: impl Fn() -> Option<String> + 'static,
) -> El {
    let mut label = el("label").attr("id", &format!("{id}-label")).attr("for", id).text(label);
    if !required {
        label = label.child(el("span").class("hint").text(&format!(" ({})", form_strings(visit().locale).optional)));
    }
    el("div")
        .class(class)
        .child(label)
        .child(control)
        .child(el("p").class("error").attr("id", &format!("{id}-error")).text_with(move || error().unwrap_or_default()))
}
