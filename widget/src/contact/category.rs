//! The category select, and the category it chose: a category brings its own fields.

use leptos::prelude::*;
use tabdesk_core::config::{localized, Category, FormSchema};
use tabdesk_core::domain::{FieldError, Locale};
use tabdesk_core::form::check_category;
use tabdesk_core::i18n::form_strings;
use tabdesk_ui::cell::{Cell, Kept};
use tabdesk_ui::Fresh;

use crate::fields::{error_of, field_frame, select};
use crate::visit::{visit, Visit};

/// The site's category with the id `value`, if there is one (tracked).
pub fn chosen(form: Kept<FormSchema>, locale: Locale, value: Cell<String>) -> Option<Category> {
    form.with_value(|f| check_category(f, Some(&value.get()), locale).ok().flatten().cloned())
}

/// Shown when the site has categories. Picking another clears the errors of the category and
/// of the fields the previous one brought.
pub fn category_select(form: Kept<FormSchema>, value: Cell<String>, errors: Cell<Vec<FieldError>>) -> Option<Fresh> {
    let Visit { locale, .. } = visit();
    let s = form_strings(locale);
    let (categories, required) = form.with_value(|f| (f.categories.clone(), f.category_required));
    let invalid = move || error_of(errors, "category").is_some();
    (!categories.is_empty()).then(|| {
        let options = categories.iter().map(|c| (c.id.as_str(), localized(&c.label, locale)));
        let control =
            select("td-category", required, invalid, options, move || value.get().into()).on("change", move |ev| {
                value.set(event_target_value(&ev));
                errors.update(|all| all.retain(|e| e.field != "category" && !e.field.starts_with("fields.")));
            });
        Fresh::from(field_frame("field", "td-category", s.category, required, control, move || {
            error_of(errors, "category")
        }))
    })
}
