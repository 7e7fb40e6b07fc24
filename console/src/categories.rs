//! The contact form's editor: the categories a customer chooses from and, per category, the
//! fields it asks for — type, label per language, required, limits, choices, and the earlier
//! field whose value shows it. The worker checks the result with core's `validate_config` on
//! save, as for every other setting.

use leptos::prelude::*;
use tabdesk_core::config::{Category, Choice, Condition, FieldDef, FieldKind, FormSchema, Localized, SiteConfig};
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::console::{field_kind, ConsoleStrings};
use tabdesk_ui::cell::{Cell, Kept};

use crate::editing::{localized_inputs, Change};

fn category_mut(c: &mut SiteConfig, ci: usize) -> Option<&mut Category> {
    c.form.categories.get_mut(ci)
}

fn field_mut(c: &mut SiteConfig, ci: usize, fi: usize) -> Option<&mut FieldDef> {
    category_mut(c, ci).and_then(|cat| cat.fields.get_mut(fi))
}

/// An empty input is "no limit".
fn optional<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

fn shown<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Whether a field of this kind takes length limits and a mask (the rest ignore them in the
/// form but core would still apply them).
fn takes_text_limits(kind: FieldKind) -> bool {
    matches!(kind, FieldKind::Text | FieldKind::Textarea | FieldKind::Phone)
}

/// The id of a category or field. Typed ids are written into the config as they come; once one
/// is typed over (`change`), `rename(config, old, new)` points what named the old id at the new
/// one and says whether anything did — only then is the form redrawn (a redraw takes the focus).
fn id_input(
    s: &'static ConsoleStrings,
    key: &str,
    current: &str,
    config: Cell<Option<SiteConfig>>,
    reshape: impl Fn(Change) + Copy + 'static,
    write: impl Fn(&mut SiteConfig, String) + Copy + 'static,
    rename: impl Fn(&mut SiteConfig, &str, &str) -> bool + Copy + 'static,
) -> impl IntoView {
    let id = format!("{key}-id");
    let drawn = Kept::new(current.to_owned());
    let renamed = move |ev: leptos::ev::Event| {
        let (old, new) = (drawn.get_value(), event_target_value(&ev));
        let mut probe = config.get_untracked();
        if old != new && probe.as_mut().is_some_and(|c| rename(c, &old, &new)) {
            reshape(Box::new(move |c| {
                rename(c, &old, &new);
            }));
        }
    };
    view! {
        <label for=id.clone()>{s.id_label}</label>
        <input id=id value=current.to_owned() on:change=renamed on:input=move |ev| {
            let v = event_target_value(&ev);
            config.update(|c| if let Some(c) = c { write(c, v) });
        }/>
    }
}

/// The next free id of the form `{stem}-{n}`, so a new id never clashes with another.
fn fresh_id<'a>(stem: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..).map(|n| format!("{stem}-{n}")).find(|id| !taken.clone().any(|t| t == id)).unwrap_or_default()
}

/// Everything one field editor needs to know of where it is.
#[derive(Clone, Copy)]
struct Place {
    s: &'static ConsoleStrings,
    locale: Locale,
    config: Cell<Option<SiteConfig>>,
    ci: usize,
    fi: usize,
}

impl Place {
    fn key(self) -> String {
        format!("cat-{}-field-{}", self.ci, self.fi)
    }

    /// Writes into the field without redrawing the form.
    fn write(self, f: impl FnOnce(&mut FieldDef)) {
        self.config.update(|c| {
            if let Some(d) = c.as_mut().and_then(|c| field_mut(c, self.ci, self.fi)) {
                f(d)
            }
        })
    }
}

/// The inputs for a number the field may or may not have (`min_length`, `max`…).
fn limit<T: std::str::FromStr + ToString + 'static>(
    place: Place,
    name: &'static str,
    label: &'static str,
    step: &'static str,
    current: Option<T>,
    set: fn(&mut FieldDef, Option<T>),
) -> impl IntoView {
    let id = format!("{}-{name}", place.key());
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id type="number" step=step value=shown(current)
            on:input=move |ev| {
                let value = optional::<T>(&event_target_value(&ev));
                place.write(|d| set(d, value));
            }/>
    }
}

fn choices_editor(
    place: Place,
    locales: &[Locale],
    reshape: impl Fn(Change) + Copy + 'static,
    options: &[Choice],
) -> impl IntoView {
    let Place { s, ci, fi, config, .. } = place;
    let rows = options
        .iter()
        .enumerate()
        .map(|(oi, choice)| {
            let key = format!("{}-option-{oi}", place.key());
            let value_id = format!("{key}-value");
            let set_value = move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                place.write(|d| {
                    if let Some(o) = d.options.get_mut(oi) {
                        o.value = v
                    }
                });
            };
            let remove = move |_| {
                reshape(Box::new(move |c| {
                    if let Some(d) = field_mut(c, ci, fi) {
                        if oi < d.options.len() {
                            d.options.remove(oi);
                        }
                    }
                }))
            };
            view! {
                <fieldset class="rule choice">
                    <legend>{format!("{} {}", s.option, oi + 1)}</legend>
                    <label for=value_id.clone()>{s.option_value}</label>
                    <input id=value_id value=choice.value.clone() on:input=set_value/>
                    {localized_inputs(key, s.label, false, locales, &choice.label, config,
                        move |c| field_mut(c, ci, fi).and_then(|d| d.options.get_mut(oi)).map(|o| &mut o.label))}
                    <button class="link" type="button" on:click=remove>{s.remove}</button>
                </fieldset>
            }
        })
        .collect_view();
    let add = move |_| {
        reshape(Box::new(move |c| {
            if let Some(d) = field_mut(c, ci, fi) {
                let value = fresh_id("choice", d.options.iter().map(|o| o.value.as_str()));
                d.options.push(Choice { value, label: Localized::new() });
            }
        }))
    };
    view! {
        {rows}
        <button class="secondary" type="button" on:click=add>{s.add_option}</button>
    }
}

fn field_editor(
    place: Place,
    locales: &[Locale],
    reshape: impl Fn(Change) + Copy + 'static,
    field: &FieldDef,
    earlier: Vec<String>,
) -> impl IntoView {
    let Place { s, locale, config, ci, fi } = place;
    let key = place.key();
    let kind = field.kind;
    let set_kind = move |ev: leptos::ev::Event| {
        let wanted = FieldKind::ALL.into_iter().find(|k| k.tag() == event_target_value(&ev)).unwrap_or(kind);
        reshape(Box::new(move |c| {
            if let Some(d) = field_mut(c, ci, fi) {
                d.kind = wanted;
                // Limits the new kind has no input for would still be applied by core.
                if !takes_text_limits(wanted) {
                    (d.min_length, d.max_length, d.pattern) = (None, None, None);
                }
                if wanted != FieldKind::Number {
                    (d.min, d.max) = (None, None);
                }
                if !wanted.has_options() {
                    d.options.clear();
                } else if d.options.is_empty() {
                    d.options.push(Choice { value: "choice-1".into(), label: Localized::new() });
                }
            }
        }))
    };
    let remove = move |_| {
        reshape(Box::new(move |c| {
            if let Some(cat) = category_mut(c, ci) {
                if fi < cat.fields.len() {
                    let gone = cat.fields.remove(fi).id;
                    // A condition on the removed field would make the form invalid.
                    for d in &mut cat.fields {
                        if d.show_if.as_ref().is_some_and(|w| w.field == gone) {
                            d.show_if = None;
                        }
                    }
                }
            }
        }))
    };
    let set_condition_field = move |ev: leptos::ev::Event| {
        let on = event_target_value(&ev);
        reshape(Box::new(move |c| {
            if let Some(d) = field_mut(c, ci, fi) {
                let equals = d.show_if.take().map(|w| w.equals).unwrap_or_default();
                d.show_if = (!on.is_empty()).then_some(Condition { field: on, equals });
            }
        }))
    };
    let condition = field.show_if.clone();
    let text_like = takes_text_limits(kind);
    view! {
        <fieldset class="rule field">
            <legend>{format!("{} {}", s.field, fi + 1)}</legend>
            // Conditions of later fields follow a renamed field.
            {id_input(s, &key, &field.id, config, reshape,
                move |c, v| if let Some(d) = field_mut(c, ci, fi) { d.id = v },
                move |c, old, new| {
                    let fields = category_mut(c, ci).map(|cat| cat.fields.as_mut_slice()).unwrap_or_default();
                    let mut hit = false;
                    for w in fields.iter_mut().filter_map(|d| d.show_if.as_mut()).filter(|w| w.field == old) {
                        w.field = new.to_owned();
                        hit = true;
                    }
                    hit
                })}
            <label for=format!("{key}-kind")>{s.field_type}</label>
            <select id=format!("{key}-kind") on:change=set_kind>
                {FieldKind::ALL.into_iter().map(|k| view! {
                    <option value=k.tag() selected=k == kind>{field_kind(locale, k)}</option>
                }).collect_view()}
            </select>
            {localized_inputs(key.clone(), s.label, false, locales, &field.label, config,
                move |c| field_mut(c, ci, fi).map(|d| &mut d.label))}
            <label class="check">
                <input type="checkbox" prop:checked=field.required on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    place.write(|d| d.required = on);
                }/>
                {s.required}
            </label>
            {text_like.then(|| view! {
                {limit(place, "min-length", s.min_length, "1", field.min_length, |d, v| d.min_length = v)}
                {limit(place, "max-length", s.max_length, "1", field.max_length, |d, v| d.max_length = v)}
                <label for=format!("{key}-mask")>{s.mask}</label>
                <input id=format!("{key}-mask") value=field.pattern.clone().unwrap_or_default() on:input=move |ev| {
                    let v = event_target_value(&ev);
                    place.write(|d| d.pattern = (!v.is_empty()).then_some(v));
                }/>
            })}
            {(kind == FieldKind::Number).then(|| view! {
                {limit(place, "min", s.minimum, "any", field.min, |d, v| d.min = v)}
                {limit(place, "max", s.maximum, "any", field.max, |d, v| d.max = v)}
            })}
            {kind.has_options().then(|| choices_editor(place, locales, reshape, &field.options))}
            {(!earlier.is_empty()).then(|| view! {
                <label for=format!("{key}-show-if")>{s.show_if}</label>
                <select id=format!("{key}-show-if") on:change=set_condition_field>
                    <option value="" selected=condition.is_none()>{s.always}</option>
                    {earlier.into_iter().map(|id| {
                        let chosen = condition.as_ref().is_some_and(|w| w.field == id);
                        view! { <option value=id.clone() selected=chosen>{id.clone()}</option> }
                    }).collect_view()}
                </select>
            })}
            {condition.map(|w| view! {
                <label for=format!("{key}-equals")>{s.equals}</label>
                <input id=format!("{key}-equals") value=w.equals on:input=move |ev| {
                    let v = event_target_value(&ev);
                    place.write(|d| if let Some(w) = d.show_if.as_mut() { w.equals = v });
                }/>
            })}
            <button class="link" type="button" on:click=remove>{s.remove}</button>
        </fieldset>
    }
}

/// The contact form section of the settings, drawn from `form` as it was when the shape last
/// changed.
pub fn form_editor(
    s: &'static ConsoleStrings,
    locale: Locale,
    locales: &[Locale],
    config: Cell<Option<SiteConfig>>,
    reshape: impl Fn(Change) + Copy + 'static,
    form: &FormSchema,
) -> impl IntoView {
    let categories = form
        .categories
        .iter()
        .enumerate()
        .map(|(ci, category)| {
            let key = format!("cat-{ci}");
            let fields = category
                .fields
                .iter()
                .enumerate()
                .map(|(fi, field)| {
                    let earlier = category.fields[..fi].iter().map(|f| f.id.clone()).collect();
                    field_editor(Place { s, locale, config, ci, fi }, locales, reshape, field, earlier)
                })
                .collect_view();
            let add_field = move |_| {
                reshape(Box::new(move |c| {
                    if let Some(cat) = category_mut(c, ci) {
                        let id = fresh_id("field", cat.fields.iter().map(|f| f.id.as_str()));
                        cat.fields.push(FieldDef::new(&id, FieldKind::Text, Localized::new()));
                    }
                }))
            };
            let remove = move |_| {
                reshape(Box::new(move |c| {
                    if ci < c.form.categories.len() {
                        let gone = c.form.categories.remove(ci).id;
                        // A routing rule on the removed category would make the config invalid.
                        for rule in c.routing.iter_mut().filter(|r| r.category.as_ref() == Some(&gone)) {
                            rule.category = None;
                        }
                    }
                }))
            };
            view! {
                <fieldset class="rule category">
                    <legend>{format!("{} {}", s.category, ci + 1)}</legend>
                    // Routing rules follow a renamed category.
                    {id_input(s, &key, &category.id, config, reshape,
                        move |c, v| if let Some(cat) = category_mut(c, ci) { cat.id = v },
                        |c, old, new| {
                            let mut hit = false;
                            for rule in c.routing.iter_mut().filter(|r| r.category.as_deref() == Some(old)) {
                                rule.category = Some(new.to_owned());
                                hit = true;
                            }
                            hit
                        })}
                    {localized_inputs(key, s.label, false, locales, &category.label, config,
                        move |c| category_mut(c, ci).map(|cat| &mut cat.label))}
                    {fields}
                    <button class="secondary" type="button" on:click=add_field>{s.add_field}</button>
                    <button class="link" type="button" on:click=remove>{s.remove}</button>
                </fieldset>
            }
        })
        .collect_view();
    let add_category = move |_| {
        reshape(Box::new(|c| {
            let id = fresh_id("category", c.form.categories.iter().map(|cat| cat.id.as_str()));
            c.form.categories.push(Category { id, label: Localized::new(), fields: Vec::new() });
        }))
    };
    view! {
        <h2>{s.contact_form}</h2>
        <p class="hint">{s.id_hint}</p>
        <label class="check">
            <input type="checkbox" prop:checked=form.category_required on:change=move |ev| {
                let on = event_target_checked(&ev);
                config.update(|c| if let Some(c) = c { c.form.category_required = on });
            }/>
            {s.category_required}
        </label>
        {categories}
        <button class="secondary" type="button" on:click=add_category>{s.add_category}</button>
    }
}
