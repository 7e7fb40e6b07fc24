//! The per-category fields of a site's form: visibility, and the check of each value.

use std::collections::BTreeMap;

use email_address::EmailAddress;
use serde_json::Value;

use crate::config::{Category, FieldDef, FieldKind, FormSchema};
use crate::decimal;
use crate::domain::Locale;
use crate::domain::{FieldError, SmallMap};
use crate::i18n::{form_strings, out_of_range, pattern_mismatch, too_long, too_short};
use crate::json::{FromJson, Json};

/// Longest value of a one-line field unless the site sets `max_length`.
const DEFAULT_MAX_CHARS: u32 = 1000;
/// Longest value of a textarea unless the site sets `max_length`.
const DEFAULT_MAX_TEXTAREA_CHARS: u32 = 10_000;

/// Whether `value` is what the condition of a `show_if` names: the same text (trimmed), `true`
/// or `false`, or the same number however written (`2.5` is `2.50`; compared as numbers, so
/// no number is formatted).
fn equals(value: &Json, wanted: &str) -> bool {
    match value {
        Json::String(s) => s.trim() == wanted,
        Json::Bool(b) => wanted == if *b { "true" } else { "false" },
        Json::Number(n) => decimal::parse(wanted.trim()) == Some(*n),
        _ => false,
    }
}

/// Whether `def` is shown given the other values: a multiselect matches if it holds the value.
pub fn is_visible(def: &FieldDef, fields: &SmallMap<String, Json>) -> bool {
    let Some(cond) = &def.show_if else {
        return true;
    };
    match fields.get(&cond.field) {
        Some(Json::Array(items)) => items.iter().any(|v| equals(v, &cond.equals)),
        Some(v) => equals(v, &cond.equals),
        None => false,
    }
}

fn is_empty(value: Option<&Json>) -> bool {
    match value {
        None | Some(Json::Null) | Some(Json::Bool(false)) => true,
        Some(Json::String(s)) => s.trim().is_empty(),
        Some(Json::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// `9` a digit, `a` a letter, `*` either, anything else itself.
pub fn matches_mask(mask: &str, value: &str) -> bool {
    let (mask, value): (Vec<char>, Vec<char>) = (mask.chars().collect(), value.chars().collect());
    mask.len() == value.len()
        && mask.iter().zip(&value).all(|(m, v)| match m {
            '9' => v.is_ascii_digit(),
            'a' => v.is_alphabetic(),
            '*' => v.is_alphanumeric(),
            other => other == v,
        })
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// `YYYY-MM-DD` naming a real day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !s.contains(char::is_whitespace)
}

/// The error of one custom field's value, if any; `key` is its name in `FieldError::field`.
pub fn check_field(def: &FieldDef, value: Option<&Json>, locale: Locale) -> Option<FieldError> {
    let s = form_strings(locale);
    let key = format!("fields.{}", def.id);
    let error = |code: &str, message: String| Some(FieldError::new(key.clone(), code, message));
    if is_empty(value) {
        return match (def.required, def.kind) {
            (false, _) => None,
            (true, FieldKind::Checkbox) => error("required", s.must_check.into()),
            (true, _) => error("required", s.required.into()),
        };
    }
    let value = value?;
    let allowed = |v: &str| def.options.iter().any(|o| o.value == v);
    match def.kind {
        FieldKind::Checkbox => {
            (!matches!(value, Json::Bool(_))).then(|| FieldError::new(key.clone(), "type", s.must_check))
        }
        FieldKind::Multiselect => {
            let ok = matches!(value, Json::Array(items) if items.iter().all(|i| i.as_str().is_some_and(allowed)));
            (!ok).then(|| FieldError::new(key.clone(), "invalid_choice", s.invalid_choice))
        }
        FieldKind::Number => {
            let n = match value {
                Json::Number(n) => Some(*n),
                Json::String(t) => decimal::parse(&t.trim().replace(',', ".")).filter(|n| n.is_finite()),
                _ => None,
            };
            match n {
                None => error("invalid_number", s.invalid_number.into()),
                Some(n) if def.min.is_some_and(|m| n < m) || def.max.is_some_and(|m| n > m) => {
                    error("out_of_range", out_of_range(locale, def.min, def.max))
                }
                Some(_) => None,
            }
        }
        _ => {
            let Some(text) = value.as_str().map(str::trim) else {
                return error("type", s.invalid_choice.into());
            };
            let chars = text.chars().count() as u32;
            let max = def.max_length.unwrap_or(if def.kind == FieldKind::Textarea {
                DEFAULT_MAX_TEXTAREA_CHARS
            } else {
                DEFAULT_MAX_CHARS
            });
            if chars > max {
                return error("too_long", too_long(locale, max.into()));
            }
            if def.min_length.is_some_and(|min| chars < min) {
                return error("too_short", too_short(locale, def.min_length.unwrap_or(0).into()));
            }
            let (ok, code, message) = match def.kind {
                FieldKind::Email => (EmailAddress::is_valid(text), "invalid_email", s.invalid_email),
                FieldKind::Phone => (is_phone(text), "invalid_phone", s.invalid_phone),
                FieldKind::Url => (is_url(text), "invalid_url", s.invalid_url),
                FieldKind::Date => (is_date(text), "invalid_date", s.invalid_date),
                FieldKind::Select => (allowed(text), "invalid_choice", s.invalid_choice),
                _ => (true, "", ""),
            };
            if !ok {
                return error(code, message.into());
            }
            match &def.pattern {
                Some(mask) if !matches_mask(mask, text) => error("pattern", pattern_mismatch(locale, mask)),
                _ => None,
            }
        }
    }
}

/// The category chosen in a request, checked against the form.
pub fn check_category<'a>(
    form: &'a FormSchema,
    chosen: Option<&str>,
    locale: Locale,
) -> Result<Option<&'a Category>, FieldError> {
    let s = form_strings(locale);
    match chosen.map(str::trim).filter(|c| !c.is_empty()) {
        None if form.category_required && !form.categories.is_empty() => {
            Err(FieldError::new("category", "required", s.required))
        }
        None => Ok(None),
        Some(id) => form
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(Some)
            .ok_or_else(|| FieldError::new("category", "invalid_choice", s.invalid_choice)),
    }
}

/// Errors of the custom fields of `category` (hidden fields are not checked), and of values
/// sent for fields the category does not have.
pub fn check_fields(category: Option<&Category>, fields: &SmallMap<String, Json>, locale: Locale) -> Vec<FieldError> {
    let defs = category.map_or(&[][..], |c| &c.fields[..]);
    let mut errors: Vec<FieldError> = defs
        .iter()
        .filter(|d| is_visible(d, fields))
        .filter_map(|d| check_field(d, fields.get(&d.id), locale))
        .collect();
    errors.extend(
        fields
            .keys()
            .filter(|k| !defs.iter().any(|d| &d.id == *k))
            .map(|k| FieldError::new(format!("fields.{k}"), "unknown_field", form_strings(locale).unknown_field)),
    );
    errors
}

/// The values worth storing: the visible, non-empty fields of the category.
/// (As serde_json's `Value`s: the worker stores them with serde.)
pub fn clean_fields(category: Option<&Category>, fields: &SmallMap<String, Json>) -> BTreeMap<String, Value> {
    let defs = category.map_or(&[][..], |c| &c.fields[..]);
    defs.iter()
        .filter(|d| is_visible(d, fields) && !is_empty(fields.get(&d.id)))
        .filter_map(|d| Some((d.id.clone(), Value::from_json(fields.get(&d.id)?)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Choice, Condition, Localized};
    use crate::json::ToJson;

    /// A [`Json`] written as serde_json's `json!` writes a `Value`.
    macro_rules! json {
        ($($t:tt)+) => {
            serde_json::json!($($t)+).to_json()
        };
    }

    fn def(id: &str, kind: FieldKind) -> FieldDef {
        FieldDef { required: true, ..FieldDef::new(id, kind, Localized::from([(Locale::En, id.to_owned())])) }
    }

    fn code(d: &FieldDef, v: Json) -> Option<String> {
        check_field(d, Some(&v), Locale::En).map(|e| e.code)
    }

    #[test]
    fn checks_each_kind() {
        assert_eq!(code(&def("a", FieldKind::Text), json!("  ")).as_deref(), Some("required"));
        assert_eq!(code(&def("a", FieldKind::Email), json!("x@")).as_deref(), Some("invalid_email"));
        assert_eq!(code(&def("a", FieldKind::Phone), json!("+7 (900) 123-45-67")), None);
        assert_eq!(code(&def("a", FieldKind::Phone), json!("call me")).as_deref(), Some("invalid_phone"));
        assert_eq!(code(&def("a", FieldKind::Date), json!("2024-02-29")), None);
        assert_eq!(code(&def("a", FieldKind::Date), json!("2023-02-29")).as_deref(), Some("invalid_date"));
        assert_eq!(code(&def("a", FieldKind::Url), json!("ftp://x")).as_deref(), Some("invalid_url"));
        assert_eq!(code(&def("a", FieldKind::Checkbox), json!(false)).as_deref(), Some("required"));
        assert_eq!(code(&def("a", FieldKind::Checkbox), json!(true)), None);
        let mut n = def("n", FieldKind::Number);
        n.min = Some(1.0);
        n.max = Some(10.0);
        assert_eq!(code(&n, json!("7,5")), None);
        assert_eq!(code(&n, json!(11)).as_deref(), Some("out_of_range"));
        assert_eq!(code(&n, json!("many")).as_deref(), Some("invalid_number"));
        let mut sel = def("s", FieldKind::Multiselect);
        sel.options = vec![Choice { value: "tv".into(), label: Localized::new() }];
        assert_eq!(code(&sel, json!(["tv"])), None);
        assert_eq!(code(&sel, json!(["radio"])).as_deref(), Some("invalid_choice"));
        let mut contract = def("c", FieldKind::Text);
        contract.pattern = Some("NP-999999".into());
        assert_eq!(code(&contract, json!("NP-123456")), None);
        assert_eq!(code(&contract, json!("NP-12345")).as_deref(), Some("pattern"));
    }

    #[test]
    fn hidden_fields_are_neither_checked_nor_kept() {
        let mut reason = def("reason", FieldKind::Select);
        reason.options = vec![
            Choice { value: "other".into(), label: Localized::new() },
            Choice { value: "price".into(), label: Localized::new() },
        ];
        let mut details = def("details", FieldKind::Textarea);
        details.show_if = Some(Condition { field: "reason".into(), equals: "other".into() });
        let category = Category { id: "cancel".into(), label: Localized::new(), fields: vec![reason, details] };
        let price = SmallMap::from([("reason".to_owned(), json!("price")), ("details".to_owned(), json!("x"))]);
        assert!(check_fields(Some(&category), &price, Locale::En).is_empty());
        assert_eq!(clean_fields(Some(&category), &price).len(), 1);
        let other = SmallMap::from([("reason".to_owned(), json!("other"))]);
        let errors = check_fields(Some(&category), &other, Locale::En);
        assert_eq!(errors[0].field, "fields.details");
        // A number (as a host page may prefill it) matches its condition however it is written.
        let mut sized = def("size", FieldKind::Text);
        sized.show_if = Some(Condition { field: "rooms".into(), equals: "2.50".into() });
        for (rooms, shown) in [(json!(2.5), true), (json!("2.50"), true), (json!(2), false), (json!(true), false)] {
            assert_eq!(is_visible(&sized, &SmallMap::from([("rooms".to_owned(), rooms)])), shown);
        }
        let stray = SmallMap::from([("color".to_owned(), json!("red"))]);
        assert_eq!(check_fields(None, &stray, Locale::Ru)[0].code, "unknown_field");
    }
}
