//! Sign-in: a token in, the API's answer out. A wrong token gets a clear message, never a
//! blank screen.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tabdesk_core::domain::Locale;
use tabdesk_core::i18n::console::console_strings;
use tabdesk_core::wire::Me;
use tabdesk_ui::cell::{Call, Cell};

use crate::api::{self, Failure};
use crate::session::save_token;

/// What a failed sign-in tells the agent.
pub fn sign_in_problem(locale: Locale, failure: &Failure) -> &'static str {
    let s = console_strings(locale);
    match failure {
        Failure::SignedOut | Failure::NotFound | Failure::Invalid(_) | Failure::Final(_) => s.token_unknown,
        Failure::Transient => s.no_connection,
    }
}

#[component]
pub fn SignIn(locale: Locale, on_signed_in: Call<(String, Me)>, problem: Option<&'static str>) -> impl IntoView {
    let s = console_strings(locale);
    let token = Cell::new(String::new());
    let notice = Cell::new(problem);
    let busy = Cell::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let given = token.get_untracked().trim().to_owned();
        if given.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        notice.set(None);
        spawn_local(async move {
            let answer = api::me(&given).await;
            busy.set(false);
            match answer {
                Ok(me) => {
                    save_token(&given);
                    on_signed_in.run((given, me));
                }
                Err(failure) => notice.set(Some(sign_in_problem(locale, &failure))),
            }
        });
    };
    view! {
        <main class="sign-in">
            <h1>{s.title}</h1>
            <form class="card" novalidate on:submit=submit>
                <h2>{s.sign_in_title}</h2>
                <p class="hint">{s.sign_in_hint}</p>
                <label for="token">{s.token_label}</label>
                <input id="token" type="password" autocomplete="off" spellcheck="false" required
                    prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                <p class="notice" role="alert">{move || notice.get()}</p>
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { s.signing_in } else { s.sign_in }}
                </button>
            </form>
        </main>
    }
}
