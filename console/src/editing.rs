//! What the settings forms share: a change that alters a form's shape, and texts per language
//! edited in place.

use leptos::prelude::*;
use tabdesk_core::config::{Localized, SiteConfig};
use tabdesk_core::domain::Locale;
use tabdesk_ui::cell::Cell;

/// A change to the configuration after which the form is drawn anew (something added or
/// removed, a field's type changed). Plain edits write into the config without redrawing, so
/// the input being typed in keeps its focus.
pub type Change = Box<dyn FnOnce(&mut SiteConfig)>;

/// One input per language of the site for a [`Localized`] text. `current` is what the form
/// starts from; `pick` finds the text in the config to write each keystroke into (`None` when
/// what it belonged to is gone).
pub fn localized_inputs<P>(
    key: String,
    label: &'static str,
    multiline: bool,
    locales: &[Locale],
    current: &Localized,
    config: Cell<Option<SiteConfig>>,
    pick: P,
) -> impl IntoView
where
    P: for<'a> Fn(&'a mut SiteConfig) -> Option<&'a mut Localized> + Copy + 'static,
{
    locales
        .iter()
        .map(|&locale| {
            let id = format!("{key}-{}", locale.tag());
            let value = current.get(&locale).cloned().unwrap_or_default();
            let write = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                config.update(|c| {
                    if let Some(texts) = c.as_mut().and_then(pick) {
                        if text.trim().is_empty() {
                            texts.remove(&locale);
                        } else {
                            texts.insert(locale, text);
                        }
                    }
                });
            };
            let input = if multiline {
                view! { <textarea id=id.clone() rows="2" prop:value=value on:input=write></textarea> }.into_any()
            } else {
                view! { <input id=id.clone() value=value on:input=write/> }.into_any()
            };
            view! {
                <label for=id>{format!("{label} ({})", locale.tag())}</label>
                {input}
            }
        })
        .collect_view()
}
