//! The contact form: the site's categories and their fields, inline validation with the same
//! rules the worker enforces, a draft kept while the customer types (`draft`), the site's
//! anti-bot check if it has one (`turnstile`), and a send whose `Idempotency-Key` survives
//! retries (see `outbox`). A request the server refuses for good comes back here with its
//! reason, to be edited and sent again or discarded.

mod base;
mod category;
mod draft;
mod sent;
mod signed;
mod suggestions;
mod turnstile;
mod values;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::domain::{FieldError, Later};
use tabdesk_core::i18n::{form_strings, request_refused, strings};
use tabdesk_core::ticket::{identity, key_for, validate_vouched};
use tabdesk_core::validate::TicketField;
use tabdesk_core::wire::{NewTicket, WidgetEvent, WidgetEventKind};
use tabdesk_ui::cell::{Call, Cell, Derived, Kept};
use tabdesk_ui::{button, el, fresh, new_key, shown, Fresh};
use wasm_bindgen::JsCast;

use crate::api::{self, Refusal};
use crate::fields::{custom_field, field_id};
use crate::launch::launched;
use crate::visit::{visit, Visit};
use base::base_field;
use category::{category_select, chosen};
pub use sent::request_sent;
use suggestions::suggestions;
use turnstile::{challenge, Check};
use values::Values;

/// Moves focus to the field `key`, if the form shows it; returns whether it does.
fn focus(key: &str) -> bool {
    let field = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&field_id(key)));
    match field.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(el) => el.focus().is_ok(),
        None => false,
    }
}

/// Moves focus to the first field with an error, so keyboard and screen-reader users land on
/// it. Returns the message of an error that no field shows (say, "too fast"), if any.
fn focus_first(errors: &[FieldError]) -> Option<String> {
    let document = web_sys::window().and_then(|w| w.document())?;
    for error in errors {
        if focus(&error.field) {
            break;
        }
    }
    errors.iter().find(|e| document.get_element_by_id(&field_id(&e.field)).is_none()).map(|e| e.message.clone())
}

/// The form; `on_open` opens a suggested article.
pub fn contact_form(on_open: Call<String>) -> Fresh {
    let visit = visit();
    let Visit {
        site,
        locale,
        form,
        page,
        viewed,
        searches,
        outbox,
        turnstile,
        identity: signed_in,
        identity_required,
        launch,
        ..
    } = visit;
    // Read here, in the form's module: only a request sends them, and only the form shows who
    // they name.
    let launched = Kept::new(launch.with_value(|(checked, telegram_app)| launched(checked.clone(), *telegram_app)));
    // Read here, in the form's module: the first screen never decodes it.
    let form = Kept::new(form.with_value(Later::read).unwrap_or_default());
    let s = form_strings(locale);
    let sending_text = strings(locale).sending;
    spawn_local(async move {
        let event = WidgetEvent { kind: WidgetEventKind::FormOpened, article_id: None, query: None, results: None };
        api::event(&site.get_value(), event).await;
    });
    // A request the server refused while queued comes back here with its key and reason.
    let returned = outbox.refused.get_untracked();
    outbox.refused.set(None);
    let values = draft::start(visit, returned.as_ref().map(|(p, _)| &p.job));
    draft::keep(visit, values);
    let Values { base, category, fields } = values;
    let errors = Cell::new(Vec::new());
    let notice = Cell::new(None::<String>);
    // Whether the last answer refused the request for good (it may then be discarded).
    let refused = Cell::new(false);
    let sending = Cell::new(false);
    let honeypot = Cell::new(String::new());
    let opened_at = js_sys::Date::now();
    let who = Derived::new(move || {
        let platform = move || launched.with_value(|l| l.as_ref().map(|(who, _)| signed::launched(who, locale)));
        signed_in.get().and_then(|token| signed::peek(&token)).or_else(platform)
    });
    let check = turnstile.with_value(Option::is_some).then(Check::new);
    // The key and the identity of the request it was made for: a retry of the same request
    // reuses the key, an edited request gets a new one.
    let attempt = Kept::new(returned.as_ref().map(|(p, _)| (p.key.clone(), identity(&p.job))));
    let show_problems = move |problems: Vec<FieldError>| {
        let unshown = focus_first(&problems);
        errors.set(problems);
        notice.set(Some(unshown.unwrap_or_else(|| s.fix_errors.to_owned())));
    };
    // Shows what the server said; the check's token was spent (or refused) either way.
    let refuse = move |why: Refusal| {
        if let Some(check) = check {
            check.reset();
        }
        match why {
            Refusal::Invalid(problems) => show_problems(problems),
            Refusal::Final(detail) => {
                notice.set(Some(request_refused(locale, &detail)));
                refused.set(true);
            }
        }
    };
    if let Some((_, why)) = returned {
        // Once the form is drawn, so that focus can land on a field to correct.
        request_animation_frame(move || refuse(why));
    }
    let discard = move || {
        draft::clear(visit, values);
        attempt.set_value(None);
        errors.set(Vec::new());
        notice.set(None);
        refused.set(false);
        // The button goes away with the request: keyboard users start again at the top.
        focus(TicketField::Subject.key());
    };

    let submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let value = |f: TicketField| base[f as usize].get_untracked().trim().to_owned();
        let name = value(TicketField::Name);
        let picked = category.get_untracked();
        let mut context = page.get_untracked();
        context.locale = Some(locale);
        if context.user_agent.is_none() {
            context.user_agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok());
        }
        let token = check.map(|c| c.token.get_untracked());
        // A signed-in customer's email and name are the site's (the worker takes them from the
        // token); the form shows neither field then.
        let signed = who.get_untracked().unwrap_or_default();
        let ticket = NewTicket {
            subject: value(TicketField::Subject),
            message: value(TicketField::Message),
            email: signed.email.unwrap_or_else(|| value(TicketField::Email)),
            name: signed.name.or((!name.is_empty()).then_some(name)),
            category: (!picked.is_empty()).then_some(picked),
            fields: chosen(form, locale, category).map(|_| fields.get_untracked()).unwrap_or_default(),
            context,
            hp: honeypot.get_untracked(),
            viewed_articles: viewed.get_untracked(),
            searches: searches.get_untracked(),
            fill_ms: Some((js_sys::Date::now() - opened_at).max(0.0) as u64),
            turnstile_token: token.clone().flatten(),
            identity: signed_in.get_untracked(),
            launch: launched.with_value(|l| l.as_ref().map(|(_, query)| query.clone())),
        };
        let vouched = who.with_untracked(Option::is_some);
        let problems = form.with_value(|f| validate_vouched(&ticket, f, locale, vouched));
        if !problems.is_empty() {
            show_problems(problems);
            return;
        }
        if token == Some(None) {
            notice.set(Some(s.complete_check.to_owned()));
            return;
        }
        let same = identity(&ticket);
        let key = key_for(attempt.get_value(), &same, new_key);
        attempt.set_value(Some((key.clone(), same)));
        sending.set(true);
        notice.set(None);
        refused.set(false);
        spawn_local(async move {
            let result = outbox.send(key, ticket).await;
            sending.set(false);
            match result {
                Ok(()) => draft::discard(visit),
                Err(why) => refuse(why),
            }
        });
    };

    let field = move |f: TicketField, optional: bool| base_field(f, base[f as usize], errors, optional);
    // Email and name: asked, unless the site's token gives them; someone vouched for needs no
    // email (replies reach them in the tab), so one the token lacks is asked as optional.
    let contact_fields = move || {
        let Some(signed) = who.get() else {
            return TicketField::ALL.into_iter().skip(2).map(|f| field(f, false)).collect::<Vec<_>>();
        };
        let shown = signed.name.clone().or(signed.email.clone()).unwrap_or_default();
        let own = |f: TicketField| match f {
            TicketField::Email => signed.email.is_none() && !signed.by_platform,
            _ => signed.name.is_none(),
        };
        let who = el("p").class("signed-in").text(s.signed_in_as).text(" ").child(el("strong").text(&shown));
        std::iter::once(who.into())
            .chain(TicketField::ALL.into_iter().skip(2).filter(|f| own(*f)).map(|f| field(f, true)))
            .collect()
    };
    if identity_required && signed_in.with_untracked(Option::is_none) {
        return el("section")
            .class("contact-form")
            .child(el("h2").class("title").text(s.contact_title))
            .child(el("p").class("notice").attr("role", "status").text(s.identity_required))
            .into();
    }
    let custom_fields = move || {
        let defs = chosen(form, locale, category).map(|c| c.fields).unwrap_or_default();
        fresh(defs.into_iter().map(|def| custom_field(def, fields, errors)).collect::<Vec<_>>())
    };
    // People never see this field; bots that fill every input do.
    let honeypot_field = el("div")
        .class("hp")
        .attr("aria-hidden", "true")
        .child(el("label").attr("for", "td-hp").text("Website"))
        .child(
            el("input")
                .attr("id", "td-hp")
                .attr("type", "text")
                .attr("tabindex", "-1")
                .attr("autocomplete", "off")
                .prop_with("value", move || honeypot.get().into())
                .on("input", move |ev| honeypot.set(event_target_value(&ev))),
        );
    el("form")
        .class("contact-form")
        .attr("novalidate", "")
        .on("submit", submit)
        .child(el("h2").class("title").text(s.contact_title))
        .maybe(category_select(form, category, errors))
        .view(fresh(TicketField::ALL.into_iter().take(2).map(|f| field(f, false)).collect::<Vec<_>>()))
        .part(suggestions(base[TicketField::Subject as usize], base[TicketField::Message as usize], on_open))
        // Built anew when the category changes (`Fresh`): focus is in its select then.
        .part(custom_fields)
        .part(move || fresh(contact_fields()))
        .child(honeypot_field)
        .maybe(turnstile.get_value().zip(check).map(|(key, check)| challenge(key, check)))
        .child(el("p").class("notice").attr("role", "alert").text_with(move || notice.get().unwrap_or_default()))
        .child(
            el("button")
                .class("primary")
                .attr("type", "submit")
                .flag_with("disabled", move || sending.get())
                .text_with(move || if sending.get() { sending_text } else { s.send }),
        )
        .part(shown(
            move || refused.get(),
            move || {
                let hint = el("p").class("hint").text(s.refused_hint);
                Fresh::from(el("div").class("refused").child(hint).child(button("secondary", s.discard, discard)))
            },
        ))
        .into()
}
